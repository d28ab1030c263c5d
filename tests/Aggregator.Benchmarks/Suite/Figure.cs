using System.Globalization;

namespace Aggregator.Benchmarks.Suite;

/// <summary>
/// One row of the performance table: what was measured, its value, the target it is held to, the same-run baseline
/// it is compared with, and the ratio between them. <paramref name="Met"/> is null when the figure has no pass/fail target.
/// </summary>
public sealed record Figure(string Name, string Value, string Target, string Baseline, string Ratio, bool? Met)
{
    public string Verdict => Met switch
    {
        true => "met",
        false => "missed",
        null => string.Empty,
    };

    public static string Seconds(double seconds) => seconds < 10
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0.00} s")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0} s");

    public static string Milliseconds(double milliseconds) => string.Create(CultureInfo.InvariantCulture, $"{milliseconds:0.0} ms");

    public static string Number(double value, string format = "0") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Times(double ratio) => double.IsFinite(ratio)
        ? ratio.ToString(ratio < 10 ? "0.00" : "0", CultureInfo.InvariantCulture) + "×"
        : "–";
}
