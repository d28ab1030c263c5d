namespace Aggregator.Core.Tests.Support;

/// <summary>The hand-checked submissions whose expected rule violations are written down beside them.</summary>
public static class Seeds
{
    public const string Seed000 = "transcribed/seed_000.json";
    public const string Seed001 = "transcribed/seed_001.json";
    public const string Seed002 = "transcribed/seed_002.json";
    public const string Seed004 = "transcribed/seed_004.json";
    public const string Shanghai2019 = "real-reports/shanghai-gov-office-2019.json";

    public static TheoryData<string> All => new(Seed000, Seed001, Seed002, Seed004, Shanghai2019);
}
