namespace Aggregator.Benchmarks.Suite;

/// <summary>The sizes of one suite run: <see cref="Quick"/> takes about two minutes, <see cref="Full"/> under fifteen on two cores.</summary>
public sealed record SuiteOptions(
    string Mode,
    IReadOnlyList<(int Units, TimeSpan Cap)> Embedded,
    int DistributedUnits,
    int DistrictRuns,
    int BrokerMessages,
    int CopySubmissions,
    IReadOnlyList<int> MemorySizes)
{
    public static SuiteOptions Quick { get; } = new(
        "quick",
        [(300, TimeSpan.FromSeconds(60)), (1_000, TimeSpan.FromSeconds(60)), (10_000, TimeSpan.FromSeconds(45))],
        DistributedUnits: 400,
        DistrictRuns: 20,
        BrokerMessages: 5_000,
        CopySubmissions: 1_000,
        MemorySizes: [2_000]);

    public static SuiteOptions Full { get; } = new(
        "default",
        [(1_000, TimeSpan.FromSeconds(120)), (3_000, TimeSpan.FromSeconds(120)), (10_000, TimeSpan.FromSeconds(120)), (100_000, TimeSpan.FromSeconds(180))],
        DistributedUnits: 100_000,
        DistrictRuns: 30,
        BrokerMessages: 20_000,
        CopySubmissions: 4_000,
        MemorySizes: [2_000, 10_000]);

    /// <summary>The embedded size whose rollup is checked against the independent sum: the largest.</summary>
    public int SumCheckUnits => Embedded.Max(e => e.Units);
}
