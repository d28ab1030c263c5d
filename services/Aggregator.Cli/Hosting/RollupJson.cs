using System.Text.Encodings.Web;
using System.Text.Json;
using Aggregator.Application.Rollups;

namespace Aggregator.Cli.Hosting;

/// <summary>
/// Writes <c>rollup.json</c>: <c>{format_id, year, unit, values, included: [{unit, unit_code, version}],
/// rejected: [{unit, unit_code, rules, file?, reason?}], missing: [{unit, unit_code}], pending: […],
/// skipped: [{file, unit, unit_code, reason}]}</c>; money in 万元. A file that could not be read is rejected with the
/// rule <c>FILE-UNREADABLE</c>, its name and the reason.
/// </summary>
public static class RollupJson
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(
        string formatId, int year, string unitName, RollupView rollup, FolderOutcome outcome, IReadOnlyList<RollupChild>? children = null)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options))
        {
            writer.WriteStartObject();
            writer.WriteString("format_id", formatId);
            writer.WriteNumber("year", year);
            writer.WriteString("unit", unitName);
            writer.WriteStartObject("values");
            foreach (var (cell, value) in rollup.Values.OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                writer.WriteNumber(cell, value);
            }

            writer.WriteEndObject();
            writer.WriteStartArray("included");
            foreach (var unit in rollup.Included)
            {
                writer.WriteStartObject();
                writer.WriteString("unit", unit.UnitName);
                writer.WriteString("unit_code", unit.UnitCode);
                writer.WriteNumber("version", unit.Version);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("rejected");
            foreach (var unit in rollup.Rejected)
            {
                writer.WriteStartObject();
                writer.WriteString("unit", unit.UnitName);
                writer.WriteString("unit_code", unit.UnitCode);
                writer.WriteStartArray("rules");
                foreach (var rule in unit.Rules)
                {
                    writer.WriteStringValue(rule);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            foreach (var file in outcome.Unreadable)
            {
                writer.WriteStartObject();
                writer.WriteString("unit", file.UnitName);
                writer.WriteString("unit_code", file.UnitCode);
                writer.WriteStartArray("rules");
                writer.WriteStringValue(Commands.RollupCommand.UnreadableRule);
                writer.WriteEndArray();
                writer.WriteString("file", file.FileName);
                writer.WriteString("reason", file.Reason);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            WriteUnits(writer, "missing", rollup.Missing);
            WriteUnits(writer, "pending", rollup.Pending);
            writer.WriteStartArray("skipped");
            foreach (var file in outcome.Skipped)
            {
                writer.WriteStartObject();
                writer.WriteString("file", file.FileName);
                writer.WriteString("unit", file.UnitName);
                writer.WriteString("unit_code", file.UnitCode);
                writer.WriteString("reason", file.Reason);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            // The root's direct children, each a unit with its version or a node (a district) with its subtree's sums.
            writer.WriteStartArray("children");
            foreach (var child in children ?? [])
            {
                writer.WriteStartObject();
                writer.WriteString("unit", child.UnitName);
                writer.WriteString("unit_code", child.UnitCode);
                if (child.Version is { } version)
                {
                    writer.WriteNumber("version", version);
                }

                writer.WriteNumber("units", child.Units);
                writer.WriteStartObject("values");
                foreach (var (cell, value) in child.Values.OrderBy(v => v.Key, StringComparer.Ordinal))
                {
                    writer.WriteNumber(cell, value);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteUnits(Utf8JsonWriter writer, string name, IReadOnlyList<UnitReference> units)
    {
        writer.WriteStartArray(name);
        foreach (var unit in units)
        {
            writer.WriteStartObject();
            writer.WriteString("unit", unit.UnitName);
            writer.WriteString("unit_code", unit.UnitCode);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
