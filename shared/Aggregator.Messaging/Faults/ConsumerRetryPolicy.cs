using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using MassTransit;

namespace Aggregator.Messaging.Faults;

/// <summary>The retry policy every receive endpoint gets: short retries for transient faults, none for permanent ones.</summary>
public static class ConsumerRetryPolicy
{
    /// <summary>
    /// Exceptions that mean the message itself is wrong, or the code is: retrying them only delays the
    /// <c>_error</c> queue. Their subclasses (e.g. <see cref="ArgumentNullException"/>) count too.
    /// </summary>
    public static IReadOnlyList<Type> PermanentExceptionTypes { get; } =
    [
        typeof(PermanentFailureException),
        typeof(ValidationException),
        typeof(ArgumentException),
        typeof(FormatException),
        typeof(JsonException),
        typeof(InvalidCastException),
        typeof(NotSupportedException),
        typeof(NotImplementedException),
    ];

    public static bool IsPermanent(Exception exception) =>
        PermanentExceptionTypes.Any(type => type.IsInstanceOfType(exception));

    /// <summary>
    /// Redelivery over minutes for transient faults, outside the immediate retries: each redelivery is a new message
    /// on the broker, so no consumer slot is held while the database or the broker is away.
    /// </summary>
    public static void ApplyRedelivery(IConsumePipeConfigurator endpoint, RedeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var intervals = options.EffectiveIntervals();
        endpoint.UseDelayedRedelivery(redelivery =>
        {
            redelivery.Intervals(intervals);
            redelivery.Ignore([.. PermanentExceptionTypes]);
        });
    }

    public static void Apply(IConsumePipeConfigurator endpoint, MessageRetryOptions options)
    {
        var intervals = options.EffectiveIntervals();
        endpoint.UseMessageRetry(retry =>
        {
            retry.Intervals(intervals);
            retry.Ignore([.. PermanentExceptionTypes]);
        });
    }
}
