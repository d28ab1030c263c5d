using Aggregator.Core.Forms;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Aggregator.Reporting;

/// <summary>Registration of report rendering.</summary>
public static class ReportingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ReportRenderer"/> as a singleton, with <see cref="ReportingOptions"/> bound from the
    /// <c>Reporting</c> section (<c>Reporting:TemplateDirectory</c>, <c>Reporting:LoopLimit</c> …). Uses a registered
    /// <see cref="FormCatalog"/>, else the embedded national formats.
    /// </summary>
    public static IServiceCollection AddAggregatorReporting(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ReportingOptions>()
            .Bind(configuration.GetSection(ReportingOptions.SectionName))
            .Validate(o => o.LoopLimit > 0, "Reporting:LoopLimit must be at least 1.")
            .Validate(o => o.RecursiveLimit > 0, "Reporting:RecursiveLimit must be at least 1.")
            .Validate(o => o.OutputLimit > 0, "Reporting:OutputLimit must be at least 1.")
            .Validate(o => string.IsNullOrWhiteSpace(o.TemplateDirectory) || Directory.Exists(o.TemplateDirectory), "Reporting:TemplateDirectory does not exist.")
            .ValidateOnStart();
        services.TryAddSingleton(FormCatalog.Default);
        services.TryAddSingleton(sp => new ReportRenderer(sp.GetRequiredService<IOptions<ReportingOptions>>().Value, sp.GetRequiredService<FormCatalog>()));
        return services;
    }
}
