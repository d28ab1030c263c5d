using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Aggregator.Core.Values;

/// <summary>
/// One unit's submission for one year, in the JSON shape of the transcribed seeds: <c>format_id</c>, <c>year</c>,
/// <c>unit_name</c>, optional <c>unit_code</c>, <c>values</c> (cell id → number, text or null), optional <c>raw</c>
/// (cell id → the text as written; read instead of <c>values</c>) and optional <c>units_from_header</c> (cell id →
/// the unit the unit printed in its own column header). Other fields are ignored.
/// </summary>
public sealed record SubmissionDocument
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public required string FormatId { get; init; }

    public required int Year { get; init; }

    public required string UnitName { get; init; }

    public string? UnitCode { get; init; }

    public IReadOnlyDictionary<string, SubmittedValue> Values { get; init; } = new Dictionary<string, SubmittedValue>();

    public IReadOnlyDictionary<string, string> Raw { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> UnitsFromHeader { get; init; } = new Dictionary<string, string>();

    /// <summary>Reads a submission document.</summary>
    /// <exception cref="SubmissionFormatException">Not JSON, not an object, or a required field is missing or of the wrong kind.</exception>
    public static SubmissionDocument Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new SubmissionFormatException($"提交内容不是有效的 JSON（第 {ex.LineNumber + 1} 行）：{ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new SubmissionFormatException("提交内容应为 JSON 对象（{ … }）。");
            }

            return new SubmissionDocument
            {
                FormatId = RequiredString(root, "format_id"),
                Year = RequiredYear(root),
                UnitName = RequiredString(root, "unit_name"),
                UnitCode = OptionalString(root, "unit_code"),
                Values = ReadValues(root),
                Raw = ReadTexts(root, "raw"),
                UnitsFromHeader = ReadTexts(root, "units_from_header"),
            };
        }
    }

    /// <summary>Writes the document in the shape <see cref="Parse"/> reads (UTF-8 text, Chinese unescaped).</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("format_id", FormatId);
            writer.WriteNumber("year", Year);
            writer.WriteString("unit_name", UnitName);
            if (UnitCode is not null)
            {
                writer.WriteString("unit_code", UnitCode);
            }

            writer.WriteStartObject("values");
            foreach (var (cellId, value) in Values)
            {
                if (value.Number is { } number)
                {
                    writer.WriteNumber(cellId, number);
                }
                else if (value.Text is { } text)
                {
                    writer.WriteString(cellId, text);
                }
                else
                {
                    writer.WriteNull(cellId);
                }
            }

            writer.WriteEndObject();
            WriteTexts(writer, "raw", Raw);
            WriteTexts(writer, "units_from_header", UnitsFromHeader);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteTexts(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string> texts)
    {
        if (texts.Count == 0)
        {
            return;
        }

        writer.WriteStartObject(name);
        foreach (var (key, text) in texts)
        {
            writer.WriteString(key, text);
        }

        writer.WriteEndObject();
    }

    private static string RequiredString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            throw new SubmissionFormatException($"缺少字段“{name}”。");
        }

        var text = element.ValueKind == JsonValueKind.String ? element.GetString()!.Trim() : null;
        return string.IsNullOrEmpty(text)
            ? throw new SubmissionFormatException($"字段“{name}”应为非空字符串。")
            : text;
    }

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String
            ? element.GetString()
            : null;

    private static int RequiredYear(JsonElement root)
    {
        if (!root.TryGetProperty("year", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            throw new SubmissionFormatException("缺少字段“year”（报告年度）。");
        }

        var ok = element.ValueKind switch
        {
            JsonValueKind.Number => element.TryGetInt32(out var n) ? n : (int?)null,
            JsonValueKind.String => int.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null,
            _ => null,
        };
        return ok is >= 1990 and <= 2200
            ? ok.Value
            : throw new SubmissionFormatException($"字段“year”应为报告年度（如 2019），实际为 {element.GetRawText()}。");
    }

    private static Dictionary<string, SubmittedValue> ReadValues(JsonElement root)
    {
        var values = new Dictionary<string, SubmittedValue>(StringComparer.Ordinal);
        if (!root.TryGetProperty("values", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return values;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new SubmissionFormatException("字段“values”应为对象：单元格编号 → 数值。");
        }

        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value;
            values[property.Name] = value.ValueKind switch
            {
                JsonValueKind.Null => SubmittedValue.Blank,
                JsonValueKind.String => SubmittedValue.FromText(value.GetString()!),
                JsonValueKind.Number when value.TryGetDecimal(out var number) => SubmittedValue.FromNumber(number, value.GetRawText()),
                // Booleans, objects and out-of-range numbers are reported against the cell when it is read.
                _ => SubmittedValue.FromText(value.GetRawText()),
            };
        }

        return values;
    }

    private static Dictionary<string, string> ReadTexts(JsonElement root, string name)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return texts;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new SubmissionFormatException($"字段“{name}”应为对象：单元格编号 → 文本。");
        }

        foreach (var property in element.EnumerateObject())
        {
            texts[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.Null => "",
                _ => property.Value.GetRawText(),
            };
        }

        return texts;
    }
}
