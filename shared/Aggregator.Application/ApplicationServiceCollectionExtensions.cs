using Aggregator.Application.Audit;
using Aggregator.Application.CrossYear;
using Aggregator.Application.Periods;
using Aggregator.Application.Reconciliation;
using Aggregator.Application.Reports;
using Aggregator.Application.Rollups;
using Aggregator.Application.Submissions;
using Aggregator.Application.Telemetry;
using Aggregator.Application.Units;
using Aggregator.Application.Validation;
using Aggregator.Core.Forms;
using Aggregator.Core.Rules;
using Aggregator.Reporting;
using Aggregator.Storage;
using Aggregator.Storage.Units;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Aggregator.Application;

public static class ApplicationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the use cases that the API, the workers and the CLI share, with the storage (<c>Database</c> section,
    /// unless storage was registered already) and report rendering (<c>Reporting</c> section) they use. The host adds
    /// messaging: the writers need the <c>IOutboxSignal</c> that <c>AddOutboxRelay()</c> registers.
    /// </summary>
    public static IServiceCollection AddAggregatorApplication(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!services.Any(descriptor => descriptor.ServiceType == typeof(UnitRepository)))
        {
            services.AddAggregatorStorage(configuration);
        }

        services.TryAddSingleton(FormCatalog.Default);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<AggregatorMetrics>();
        services.TryAddSingleton<OutboxBacklogGauges>();
        services.AddAggregatorReporting(configuration);
        services.TryAddSingleton(provider => new SubmissionValidator(provider.GetRequiredService<FormCatalog>()));

        services.TryAddSingleton<ExpectedUnits>();
        services.TryAddSingleton<UnitRegistry>();
        services.TryAddSingleton<UnitImport>();
        services.TryAddSingleton<PeriodService>();
        services.TryAddSingleton<CompletenessQuery>();
        services.TryAddSingleton<SubmissionIntake>();
        services.TryAddSingleton<SubmissionTemplates>();
        services.TryAddSingleton<SubmissionStatusQuery>();
        services.TryAddSingleton<PreviousYearData>();
        services.TryAddSingleton<NarrativeComparison>();
        services.TryAddSingleton<SubmissionValidation>();
        services.TryAddSingleton<RollupRequests>();
        services.TryAddSingleton<RollupBuilder>();
        services.TryAddSingleton<RollupStaleness>();
        services.TryAddSingleton<RollupFaults>();
        services.TryAddSingleton<RollupQuery>();
        services.TryAddSingleton<RollupDrilldown>();
        services.TryAddSingleton<RollupChildren>();
        services.TryAddSingleton<RollupRetries>();
        services.TryAddSingleton<StalledWorkReconciler>();
        services.TryAddSingleton<ReportPublication>();
        services.TryAddSingleton<ReportQuery>();
        services.TryAddSingleton<ReportTextService>();
        services.TryAddSingleton<AuditQuery>();
        services.TryAddSingleton<Reviews.SubmissionReviews>();
        services.TryAddSingleton<Reviews.SubmissionDiff>();
        return services;
    }
}
