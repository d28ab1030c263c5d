using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Aggregator.Core.Rules;

namespace Aggregator.Core.Values;

/// <summary>Why a submission's bytes give no document; <see cref="Rule"/> is one of <see cref="DocumentRuleIds"/>.</summary>
/// <param name="Field">The field at fault (<c>year</c>, <c>values</c>), or <c>$</c> for the document as a whole.</param>
public sealed record ReadingProblem(string Rule, string Message, string Field);

/// <summary>What the reader made of a submission's bytes: a document, or the problems that leave none.</summary>
public sealed record SubmissionReading(SubmissionDocument? Document, IReadOnlyList<ReadingProblem> Problems)
{
    [MemberNotNullWhen(true, nameof(Document))]
    public bool IsReadable => Document is not null;
}

/// <summary>
/// The one reader of a submission's bytes, used by the CLI, the API and batch imports alike. In a single pass over
/// strict UTF-8 JSON (no comments, no trailing commas) it checks the structure and nesting, resolves the field
/// names (the camelCase spelling of a field, <c>unitName</c> for <c>unit_name</c>, is the same field; other fields
/// are ignored), and reads the values. A cell id written twice is kept as a <see cref="DocumentRuleIds.DuplicateCell"/>
/// violation on the document, because a JSON parser would otherwise keep the last value without a word.
/// </summary>
public static class SubmissionReader
{
    /// <summary>A submission needs three levels (document, values, value); anything much deeper is not one.</summary>
    public const int DefaultMaxDepth = 16;

    private const string FormatIdField = "format_id";
    private const string YearField = "year";
    private const string UnitNameField = "unit_name";
    private const string UnitCodeField = "unit_code";
    private const string ValuesField = "values";
    private const string RawField = "raw";
    private const string UnitsFromHeaderField = "units_from_header";
    private const string NarrativeField = "narrative";

    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        FormatIdField, YearField, UnitNameField, UnitCodeField, ValuesField, RawField, UnitsFromHeaderField, NarrativeField,
    };

    /// <summary>Reads <paramref name="utf8"/> (a leading byte order mark is skipped).</summary>
    public static SubmissionReading Read(ReadOnlySpan<byte> utf8, int maxDepth = DefaultMaxDepth)
    {
        ReadOnlySpan<byte> byteOrderMark = [0xEF, 0xBB, 0xBF];
        if (utf8.StartsWith(byteOrderMark))
        {
            utf8 = utf8[byteOrderMark.Length..];
        }

        if (utf8.Trim(" \t\r\n"u8).IsEmpty)
        {
            return Unreadable(DocumentRuleIds.JsonSyntax, "提交内容为空，应为 JSON 对象（{ … }）。");
        }

        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = maxDepth + 1 });
        try
        {
            return ReadDocument(ref reader, utf8, maxDepth);
        }
        catch (JsonException exception)
        {
            return Unreadable(DocumentRuleIds.JsonSyntax, SyntaxMessage(utf8, exception));
        }
        catch (InvalidOperationException)
        {
            // A name or text with an invalid escape (e.g. a lone surrogate) cannot become a string.
            return Unreadable(DocumentRuleIds.JsonSyntax, "提交内容不是有效的 JSON：含有无效的转义序列（如单独的 \\uD800）。");
        }
        catch (TooDeepException)
        {
            return Unreadable(DocumentRuleIds.JsonDepth, $"JSON 的嵌套层数不能超过 {maxDepth} 层。");
        }
    }

    /// <summary>Reads a document from text, e.g. one stored earlier.</summary>
    public static SubmissionReading Read(string json, int maxDepth = DefaultMaxDepth) => Read(Encoding.UTF8.GetBytes(json), maxDepth);

    private static SubmissionReading ReadDocument(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8, int maxDepth)
    {
        Next(ref reader, maxDepth);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            Skip(ref reader, maxDepth);
            EndOfInput(ref reader, maxDepth);
            return Unreadable(DocumentRuleIds.Shape, "提交内容应为 JSON 对象（{ … }）。");
        }

        var problems = new List<ReadingProblem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var cells = new CellReading();
        string? formatId = null, unitName = null, unitCode = null, narrative = null;
        int? year = null;
        var yearSeen = false;
        while (Next(ref reader, maxDepth) && reader.TokenType == JsonTokenType.PropertyName)
        {
            var written = reader.GetString()!;
            var name = Canonical(written);
            Next(ref reader, maxDepth);
            if (name is null)
            {
                Skip(ref reader, maxDepth);
                continue;
            }

            if (!seen.Add(name))
            {
                problems.Add(new ReadingProblem(DocumentRuleIds.DuplicateField,
                    written == name ? $"字段“{name}”出现了不止一次。" : $"字段“{name}”出现了不止一次（其中一处写作“{written}”）。", written));
                Skip(ref reader, maxDepth);
                continue;
            }

            switch (name)
            {
                case FormatIdField:
                    formatId = RequiredText(ref reader, maxDepth, name, problems);
                    break;
                case UnitNameField:
                    unitName = RequiredText(ref reader, maxDepth, name, problems);
                    break;
                case UnitCodeField:
                    unitCode = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    Skip(ref reader, maxDepth);
                    break;
                case NarrativeField:
                    // Only text is a narrative; anything else is ignored as unknown fields are, so that documents
                    // written before the field existed, with their own "narrative" notes, stay readable.
                    narrative = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    Skip(ref reader, maxDepth);
                    break;
                case YearField:
                    yearSeen = reader.TokenType != JsonTokenType.Null;
                    year = yearSeen ? Year(ref reader, utf8, maxDepth, problems) : null;
                    break;
                case ValuesField:
                    cells.Values = ReadCells(ref reader, utf8, maxDepth, name, problems, cells, ValueOf);
                    break;
                default:
                    var texts = ReadCells(ref reader, utf8, maxDepth, name, problems, cells, TextOf);
                    if (name == RawField)
                    {
                        cells.Raw = texts;
                    }
                    else
                    {
                        cells.UnitsFromHeader = texts;
                    }

                    break;
            }
        }

        EndOfInput(ref reader, maxDepth);
        if (formatId is null && !seen.Contains(FormatIdField))
        {
            problems.Add(new ReadingProblem(DocumentRuleIds.Field, $"缺少字段“{FormatIdField}”。", FormatIdField));
        }

        if (!yearSeen && !problems.Exists(p => p.Field == YearField))
        {
            problems.Add(new ReadingProblem(DocumentRuleIds.Field, $"缺少字段“{YearField}”（报告年度）。", YearField));
        }

        if (unitName is null && !seen.Contains(UnitNameField))
        {
            problems.Add(new ReadingProblem(DocumentRuleIds.Field, $"缺少字段“{UnitNameField}”。", UnitNameField));
        }

        if (problems.Count > 0)
        {
            return new SubmissionReading(null, problems);
        }

        return new SubmissionReading(new SubmissionDocument
        {
            FormatId = formatId!,
            Year = year!.Value,
            UnitName = unitName!,
            UnitCode = unitCode,
            Values = cells.Values ?? new Dictionary<string, SubmittedValue>(StringComparer.Ordinal),
            Raw = cells.Raw ?? new Dictionary<string, string>(StringComparer.Ordinal),
            UnitsFromHeader = cells.UnitsFromHeader ?? new Dictionary<string, string>(StringComparer.Ordinal),
            ReadingProblems = cells.Duplicates,
            Narrative = narrative,
        }, []);
    }

    private delegate T CellValueReader<out T>(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8, int maxDepth);

    private static Dictionary<string, T>? ReadCells<T>(
        ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8, int maxDepth, string field, List<ReadingProblem> problems, CellReading cells, CellValueReader<T> read)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            problems.Add(new ReadingProblem(DocumentRuleIds.Field,
                field == ValuesField ? $"字段“{field}”应为对象：单元格编号 → 数值。" : $"字段“{field}”应为对象：单元格编号 → 文本。", field));
            Skip(ref reader, maxDepth);
            return null;
        }

        var values = new Dictionary<string, T>(StringComparer.Ordinal);
        while (Next(ref reader, maxDepth) && reader.TokenType == JsonTokenType.PropertyName)
        {
            var cellId = reader.GetString()!;
            Next(ref reader, maxDepth);
            var value = read(ref reader, utf8, maxDepth);
            if (values.ContainsKey(cellId))
            {
                cells.Duplicate(field, cellId);
            }

            values[cellId] = value;
        }

        return values;
    }

    private static SubmittedValue ValueOf(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8, int maxDepth) => reader.TokenType switch
    {
        JsonTokenType.Null => SubmittedValue.Blank,
        JsonTokenType.String => SubmittedValue.FromText(reader.GetString()!),
        JsonTokenType.Number when reader.TryGetDecimal(out var number) => SubmittedValue.FromNumber(number, Encoding.UTF8.GetString(reader.ValueSpan)),
        // Booleans, objects and out-of-range numbers are reported against the cell when it is read.
        _ => SubmittedValue.FromText(JsonText(ref reader, utf8, maxDepth)),
    };

    private static string TextOf(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8, int maxDepth) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString()!,
        JsonTokenType.Null => "",
        _ => JsonText(ref reader, utf8, maxDepth),
    };

    /// <summary>The JSON text of the current value (a number, a boolean, an object or an array), moving past it.</summary>
    private static string JsonText(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8, int maxDepth)
    {
        var start = (int)reader.TokenStartIndex;
        Skip(ref reader, maxDepth);
        return Encoding.UTF8.GetString(utf8[start..(int)reader.BytesConsumed]);
    }

    private static string? RequiredText(ref Utf8JsonReader reader, int maxDepth, string field, List<ReadingProblem> problems)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString()!.Trim() : null;
        Skip(ref reader, maxDepth);
        if (string.IsNullOrEmpty(text))
        {
            problems.Add(new ReadingProblem(DocumentRuleIds.Field, $"字段“{field}”应为非空字符串。", field));
            return null;
        }

        return text;
    }

    private static int? Year(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8, int maxDepth, List<ReadingProblem> problems)
    {
        var start = (int)reader.TokenStartIndex;
        var year = reader.TokenType switch
        {
            JsonTokenType.Number => reader.TryGetInt32(out var n) ? n : (int?)null,
            JsonTokenType.String => int.TryParse(reader.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null,
            _ => null,
        };
        Skip(ref reader, maxDepth);
        if (year is >= 1990 and <= 2200)
        {
            return year;
        }

        var written = Encoding.UTF8.GetString(utf8[start..(int)reader.BytesConsumed]);
        problems.Add(new ReadingProblem(DocumentRuleIds.Field,
            $"字段“{YearField}”应为报告年度（如 2019），实际为 {(written.Length > 40 ? written[..40] + "…" : written)}。", YearField));
        return null;
    }

    private static string? Canonical(string name)
    {
        if (KnownFields.Contains(name))
        {
            return name;
        }

        var snake = JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
        return KnownFields.Contains(snake) ? snake : null;
    }

    private static bool Next(ref Utf8JsonReader reader, int maxDepth)
    {
        if (!reader.Read())
        {
            return false;
        }

        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= maxDepth)
        {
            throw new TooDeepException();
        }

        return true;
    }

    /// <summary>Moves past the value whose first token is current, checking the nesting of everything inside it.</summary>
    private static void Skip(ref Utf8JsonReader reader, int maxDepth)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return;
        }

        var depth = reader.CurrentDepth;
        while (Next(ref reader, maxDepth))
        {
            if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray && reader.CurrentDepth == depth)
            {
                return;
            }
        }
    }

    private static void EndOfInput(ref Utf8JsonReader reader, int maxDepth)
    {
        // Anything after the document's closing brace other than white space is a syntax error the reader raises.
        while (Next(ref reader, maxDepth))
        {
        }
    }

    private static string SyntaxMessage(ReadOnlySpan<byte> utf8, JsonException exception)
    {
        var line = exception.LineNumber ?? 0;
        var lineStart = 0;
        for (var i = 0L; i < line; i++)
        {
            var next = utf8[lineStart..].IndexOf((byte)'\n');
            if (next < 0)
            {
                break;
            }

            lineStart += next + 1;
        }

        var offset = (int)Math.Min(exception.BytePositionInLine ?? 0, utf8.Length - lineStart);
        // Columns count characters, not bytes: a line with Chinese text would otherwise point too far right.
        var column = Encoding.UTF8.GetCharCount(utf8.Slice(lineStart, offset)) + 1;
        var atEnd = lineStart + offset >= utf8.TrimEnd(" \t\r\n"u8).Length;
        return atEnd
            ? $"提交内容不是有效的 JSON：在第 {line + 1} 行第 {column} 列意外结束（缺少 }}、] 或引号？）。"
            : $"提交内容不是有效的 JSON：第 {line + 1} 行第 {column} 列不符合 JSON 语法（注意：不能有注释、末尾逗号或单引号）。";
    }

    private static SubmissionReading Unreadable(string rule, string message) => new(null, [new ReadingProblem(rule, message, "$")]);

    private sealed class CellReading
    {
        private readonly HashSet<string> _duplicated = new(StringComparer.Ordinal);

        public Dictionary<string, SubmittedValue>? Values { get; set; }

        public Dictionary<string, string>? Raw { get; set; }

        public Dictionary<string, string>? UnitsFromHeader { get; set; }

        public List<RuleViolation> Duplicates { get; } = [];

        public void Duplicate(string field, string cellId)
        {
            if (_duplicated.Add(cellId))
            {
                Duplicates.Add(new RuleViolation(
                    DocumentRuleIds.DuplicateCell,
                    Severity.Error,
                    false,
                    new Dictionary<string, string>(StringComparer.Ordinal) { ["cell"] = cellId },
                    [new ViolationCell(cellId, null, null)],
                    $"单元格“{cellId}”在 {field} 中填写了不止一次；每个单元格只能填写一次"));
            }
        }
    }

    private sealed class TooDeepException : Exception
    {
    }
}
