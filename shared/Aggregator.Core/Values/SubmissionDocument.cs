using System.Text.Encodings.Web;
using System.Text.Json;
using Aggregator.Core.Rules;

namespace Aggregator.Core.Values;

/// <summary>
/// One unit's submission for one year, in the JSON shape of the transcribed seeds: <c>format_id</c>, <c>year</c>,
/// <c>unit_name</c>, optional <c>unit_code</c>, <c>values</c> (cell id → number, text or null), optional <c>raw</c>
/// (cell id → the text as written; read instead of <c>values</c>) and optional <c>units_from_header</c> (cell id →
/// the unit the unit printed in its own column header) and optional <c>narrative</c> (the report's text outside the
/// tables, paragraphs separated by line breaks). Other fields are ignored; see <see cref="SubmissionReader"/>.
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

    /// <summary>The report's narrative (paragraphs separated by line breaks); null when the submission has none.</summary>
    public string? Narrative { get; init; }

    /// <summary>
    /// What <see cref="SubmissionReader"/> found wrong in a readable document (cell ids written twice); validation
    /// reports them first, as errors.
    /// </summary>
    public IReadOnlyList<RuleViolation> ReadingProblems { get; init; } = [];

    /// <summary>Reads a submission document with <see cref="SubmissionReader"/>.</summary>
    /// <exception cref="SubmissionFormatException">The reader found no document: not JSON, not an object, or a required field is missing or of the wrong kind.</exception>
    public static SubmissionDocument Parse(string json)
    {
        var reading = SubmissionReader.Read(json);
        return reading.IsReadable
            ? reading.Document
            : throw new SubmissionFormatException(string.Join("；", reading.Problems.Select(p => p.Message.TrimEnd('。'))) + "。")
            {
                Rule = reading.Problems[0].Rule,
            };
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
            if (!string.IsNullOrWhiteSpace(Narrative))
            {
                writer.WriteString("narrative", Narrative);
            }

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
}
