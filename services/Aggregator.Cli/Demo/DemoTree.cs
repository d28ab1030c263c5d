using Aggregator.Cli.Hosting;

namespace Aggregator.Cli.Demo;

/// <summary>A demo tree loaded into a running server: units registered with their parents, period opened at the top node, every file submitted, rolled up.</summary>
public static class DemoTree
{
    public static async Task<TreeScenario> LoadAsync(IServiceProvider services, int leafCount, CancellationToken ct, int seed = 2019)
    {
        var scenario = TreeScenario.Create(leafCount, seed);
        await new PipelineRun(services).RunAsync(
            scenario.Registrations,
            scenario.Root.Code,
            DistrictScenario.FormatId,
            DistrictScenario.Year,
            scenario.Documents(),
            lenient: false,
            TimeSpan.FromMinutes(2) + TimeSpan.FromMilliseconds(50 * leafCount),
            ct,
            dueDate: DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(14));
        return scenario;
    }
}
