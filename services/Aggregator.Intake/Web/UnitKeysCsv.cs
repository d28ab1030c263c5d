using System.Text;
using Aggregator.Application.Security;

namespace Aggregator.Intake.Web;

/// <summary>
/// The one download of a batch of unit keys: CSV in UTF-8 with a byte order mark, without which Excel reads the
/// Chinese names as the local code page.
/// </summary>
public static class UnitKeysCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static string FileName(DateTimeOffset at) =>
        $"unit-keys-{at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture)}.csv";

    public static byte[] Write(IReadOnlyList<IssuedUnitKey> keys)
    {
        var text = new StringBuilder();
        text.Append("单位代码,单位名称,密钥,密钥前缀,说明\r\n");
        foreach (var key in keys)
        {
            text.AppendJoin(',', Field(key.UnitCode), Field(key.UnitName), Field(key.Issued.Key), Field(key.Issued.Stored.KeyPrefix), Field(key.Issued.Stored.Label))
                .Append("\r\n");
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    // A leading = + - @ would make Excel read a unit's name as a formula.
    private static string Field(string value)
    {
        var safe = value.Length > 0 && "=+-@".Contains(value[0], StringComparison.Ordinal) ? "'" + value : value;
        return safe.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{safe.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : safe;
    }
}
