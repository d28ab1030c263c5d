using Aggregator.Cli.Hosting;

namespace Aggregator.Cli.Demo;

/// <summary>The demo district loaded into a running server: units registered, period opened, every file submitted, rolled up.</summary>
public static class DemoDistrict
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <param name="dueDate">The period's due date; two weeks from today by default, so that the board shows nothing late.</param>
    public static async Task<DistrictScenario> LoadAsync(IServiceProvider services, CancellationToken ct, int seed = 2019, DateOnly? dueDate = null)
    {
        var scenario = DistrictScenario.Standard(seed);
        await new PipelineRun(services).RunAsync(
            scenario.Registrations,
            scenario.Root.Code,
            DistrictScenario.FormatId,
            DistrictScenario.Year,
            [.. scenario.Submissions.Select(s => new UnitDocument(s.Unit.Code, s.Document))],
            lenient: false,
            Timeout,
            ct,
            dueDate: dueDate ?? DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(14));
        return scenario;
    }
}
