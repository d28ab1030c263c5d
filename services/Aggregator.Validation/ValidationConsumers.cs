using MassTransit;

namespace Aggregator.Validation;

public static class ValidationConsumers
{
    /// <summary>The validation worker's consumers, on the <c>aggregator-validate-submission</c> queue.</summary>
    public static IBusRegistrationConfigurator AddValidationConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ValidateSubmission, ValidateSubmissionDefinition>();
        return bus;
    }
}
