using System.Text.Json;
using Aggregator.Storage;
using Microsoft.VisualBasic.FileIO;

namespace Aggregator.Application.Units;

/// <summary>One unit of a list, as written: <see cref="ParentCode"/> is whatever the line names (or null when empty).</summary>
/// <param name="Where">The line (第 N 行) or item (第 N 项) it came from.</param>
public sealed record UnitListEntry(string Code, string Name, string Kind, string? ParentCode, string Where);

/// <summary>A line of a list that cannot be used: where (第 N 行 / 第 N 项, or empty for the list as a whole) and why.</summary>
public sealed record UnitListError(string Where, string Message)
{
    public override string ToString() => Where.Length == 0 ? Message : $"{Where}：{Message}";
}

/// <summary>The units a list names, and every line that is wrong (when any is, the list as a whole is unusable).</summary>
public sealed record UnitListRead(IReadOnlyList<UnitListEntry> Units, IReadOnlyList<UnitListError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Reads a list of units in the shapes the CLI's units file and the office's import take: CSV (UTF-8, a header line
/// naming <c>code,name,kind,parent</c> in any order, <c>code</c> and <c>name</c> required; fields may be quoted as in
/// RFC 4180) or a JSON array of <c>{"code", "name", "kind", "parent"}</c>. Every wrong line is reported, not only the
/// first, so that one correction pass fixes the list.
/// </summary>
public static partial class UnitList
{
    public const string Shape = "CSV（表头 code,name,kind,parent）或 JSON 数组（[{\"code\",\"name\",\"kind\",\"parent\"}]）";

    /// <summary>The media type of an .xlsx workbook, as the API and the page's upload take it.</summary>
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Most data rows one workbook may hold; a sheet beyond it is refused, not read into memory.</summary>
    public const int MaxXlsxRows = 20_000;

    private static readonly string[] Columns = ["code", "name", "kind", "parent"];

    // The headers the office's own spreadsheets use, in the order of Columns.
    private static readonly string[][] Aliases = [["代码", "单位代码"], ["名称", "单位名称"], ["类型", "单位类型"], ["上级", "上级代码", "上级单位代码"]];

    /// <exception cref="IOException">The reader fails.</exception>
    public static UnitListRead ReadCsv(TextReader text)
    {
        var rows = new List<(string, string?[])>();
        var errors = new List<UnitListError>();
        using var parser = new TextFieldParser(text) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = true };
        parser.SetDelimiters(",");
        string[]? header;
        try
        {
            header = parser.ReadFields();
        }
        catch (MalformedLineException)
        {
            header = null;
        }

        if (header is null)
        {
            return new UnitListRead([], [new UnitListError("", "是空的，应有表头 code,name,kind,parent")]);
        }

        var positions = Positions(header);
        if (positions[0] < 0 || positions[1] < 0)
        {
            return new UnitListRead([], [HeaderError(1, header)]);
        }

        while (!parser.EndOfData)
        {
            var line = parser.LineNumber;
            string[]? fields;
            try
            {
                fields = parser.ReadFields();
            }
            catch (MalformedLineException exception)
            {
                errors.Add(new UnitListError($"第 {exception.LineNumber} 行", "不是有效的 CSV（引号不成对？）"));
                continue;
            }

            if (fields is null || fields.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            rows.Add(($"第 {line} 行", [.. positions.Select(p => p >= 0 && p < fields.Length ? fields[p] : null)]));
        }

        return Check(rows, errors);
    }

    public static UnitListRead ReadJson(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return new UnitListRead([], [new UnitListError("", $"应为 JSON 数组：{Shape}")]);
            }

            var rows = new List<(string, string?[])>();
            var errors = new List<UnitListError>();
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                index++;
                if (element.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(new UnitListError($"第 {index} 项", "应为对象 {\"code\", \"name\", \"kind\", \"parent\"}"));
                    continue;
                }

                rows.Add(($"第 {index} 项", [.. Columns.Select(column =>
                    element.TryGetProperty(column, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null)]));
            }

            return Check(rows, errors);
        }
        catch (JsonException exception)
        {
            return new UnitListRead([], [new UnitListError("", $"不是有效的 JSON（第 {exception.LineNumber + 1} 行）")]);
        }
    }

    private static int[] Positions(IReadOnlyList<string?> header)
    {
        var names = header.Select(h => h?.Trim().TrimStart('\uFEFF') ?? "").ToList();
        return [.. Columns.Select((column, i) => names.FindIndex(h =>
            string.Equals(h, column, StringComparison.OrdinalIgnoreCase) || Aliases[i].Contains(h, StringComparer.Ordinal)))];
    }

    private static UnitListError HeaderError(long row, IEnumerable<string?> header) =>
        new($"第 {row} 行", $"应为表头 code,name,kind,parent 或 单位代码,单位名称,类型,上级代码（至少有代码和名称），实为“{string.Join(",", header)}”");

    private static UnitListRead Check(List<(string Where, string?[] Fields)> rows, List<UnitListError> errors)
    {
        var units = new List<UnitListEntry>(rows.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (where, fields) in rows)
        {
            var code = fields[0]?.Trim() ?? "";
            var name = fields[1]?.Trim() ?? "";
            var kind = string.IsNullOrWhiteSpace(fields[2]) ? OrgUnitKind.Other : fields[2]!.Trim().ToLowerInvariant();
            var parent = string.IsNullOrWhiteSpace(fields[3]) ? null : fields[3]!.Trim();
            string? problem = null;
            if (!UnitCodes.IsValid(code))
            {
                problem = $"单位代码“{code}”格式不正确（1–{UnitCodes.MaxLength} 个字母、数字、“_”“-”或“.”，以字母或数字开头）";
            }
            else if (name.Length == 0)
            {
                problem = "缺少单位名称（name）";
            }
            else if (name.Any(char.IsControl))
            {
                problem = "单位名称不能包含控制字符（换行、制表符等）";
            }
            else if (!OrgUnitKind.All.Contains(kind))
            {
                problem = $"单位类型“{kind}”不正确，应为 {string.Join("、", OrgUnitKind.All.Order(StringComparer.Ordinal))} 之一";
            }
            else if (parent is not null && !UnitCodes.IsValid(parent))
            {
                problem = $"上级单位代码“{parent}”格式不正确";
            }
            else if (string.Equals(parent, code, StringComparison.Ordinal))
            {
                problem = $"单位“{code}”不能是自己的上级";
            }
            else if (!seen.Add(code))
            {
                problem = $"单位代码“{code}”重复";
            }

            if (problem is not null)
            {
                errors.Add(new UnitListError(where, problem));
                continue;
            }

            units.Add(new UnitListEntry(code, name, kind, parent, where));
        }

        if (units.Count == 0 && errors.Count == 0)
        {
            errors.Add(new UnitListError("", "没有列出任何单位"));
        }

        return new UnitListRead(units, errors);
    }
}
