using System.Text.Json;
using Aggregator.Application.Units;
using Aggregator.Storage;
using Microsoft.VisualBasic.FileIO;

namespace Aggregator.Cli.Hosting;

/// <summary>One unit expected in a folder rollup.</summary>
/// <param name="ParentCode">The parent's code when the parent is listed too; null: directly under the rollup's root.</param>
public sealed record ExpectedUnit(string Code, string Name, string Kind, string? ParentCode);

/// <summary>
/// Reads the list of units a folder rollup expects (<c>rollup --units FILE</c>), so that a unit without a file is
/// listed as missing. Two shapes, chosen by the file's extension:
/// <list type="bullet">
/// <item><c>.csv</c>: UTF-8, a header line <c>code,name,kind,parent</c> (in any order), one unit a line; fields may be
/// quoted as in RFC 4180.</item>
/// <item><c>.json</c>: an array of <c>{"code": …, "name": …, "kind": …, "parent": …}</c>.</item>
/// </list>
/// <c>kind</c> is one of district, department, township, street, city, other (empty: other). <c>parent</c> is the code
/// of another listed unit; empty, or a code not in the file, puts the unit directly under the rollup's root.
/// </summary>
public static class UnitsFile
{
    public const string Shape = "CSV（表头 code,name,kind,parent）或 JSON 数组（[{\"code\",\"name\",\"kind\",\"parent\"}]）";

    private static readonly string[] Columns = ["code", "name", "kind", "parent"];

    /// <exception cref="UnitsFileException">The file cannot be read or a line is wrong (the message names the line).</exception>
    public static IReadOnlyList<ExpectedUnit> Read(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new UnitsFileException(Directory.Exists(file.FullName)
                ? $"单位清单 {file.FullName} 是一个目录，应为 CSV 或 JSON 文件"
                : $"单位清单文件不存在：{file.FullName}");
        }

        var rows = file.Extension.ToUpperInvariant() switch
        {
            ".CSV" => ReadCsv(file),
            ".JSON" => ReadJson(file),
            _ => throw new UnitsFileException($"单位清单 {file.Name} 的扩展名应为 .csv 或 .json，格式为 {Shape}"),
        };
        return Check(file.Name, rows);
    }

    private static List<(string Where, string?[] Fields)> ReadCsv(FileInfo file)
    {
        var rows = new List<(string, string?[])>();
        try
        {
            using var parser = new TextFieldParser(file.FullName, System.Text.Encoding.UTF8) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = true };
            parser.SetDelimiters(",");
            var header = parser.ReadFields() ?? throw new UnitsFileException($"单位清单 {file.Name} 是空的，应有表头 code,name,kind,parent");
            var positions = Columns.Select(column => Array.FindIndex(header, h => string.Equals(h.Trim().TrimStart('\uFEFF'), column, StringComparison.OrdinalIgnoreCase))).ToArray();
            if (positions[0] < 0 || positions[1] < 0)
            {
                throw new UnitsFileException($"单位清单 {file.Name} 第 1 行应为表头 code,name,kind,parent（至少有 code 和 name），实为“{string.Join(",", header)}”");
            }

            while (!parser.EndOfData)
            {
                var line = parser.LineNumber;
                var fields = parser.ReadFields();
                if (fields is null || fields.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }

                rows.Add(($"第 {line} 行", [.. positions.Select(p => p >= 0 && p < fields.Length ? fields[p] : null)]));
            }
        }
        catch (MalformedLineException exception)
        {
            throw new UnitsFileException($"单位清单 {file.Name} 第 {exception.LineNumber} 行不是有效的 CSV（引号不成对？）");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UnitsFileException($"无法读取单位清单 {file.FullName}：{exception.Message}");
        }

        return rows;
    }

    private static List<(string Where, string?[] Fields)> ReadJson(FileInfo file)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file.FullName));
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new UnitsFileException($"单位清单 {file.Name} 应为 JSON 数组：{Shape}");
            }

            var rows = new List<(string, string?[])>();
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                index++;
                if (element.ValueKind != JsonValueKind.Object)
                {
                    throw new UnitsFileException($"单位清单 {file.Name} 第 {index} 项应为对象 {{\"code\", \"name\", \"kind\", \"parent\"}}");
                }

                rows.Add(($"第 {index} 项", [.. Columns.Select(column =>
                    element.TryGetProperty(column, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null)]));
            }

            return rows;
        }
        catch (JsonException exception)
        {
            throw new UnitsFileException($"单位清单 {file.Name} 不是有效的 JSON（第 {exception.LineNumber + 1} 行）");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UnitsFileException($"无法读取单位清单 {file.FullName}：{exception.Message}");
        }
    }

    private static List<ExpectedUnit> Check(string fileName, List<(string Where, string?[] Fields)> rows)
    {
        var units = new List<ExpectedUnit>(rows.Count);
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
            else if (!OrgUnitKind.All.Contains(kind))
            {
                problem = $"单位类型“{kind}”不正确，应为 {string.Join("、", OrgUnitKind.All.Order(StringComparer.Ordinal))} 之一";
            }
            else if (parent is not null && !UnitCodes.IsValid(parent))
            {
                problem = $"上级单位代码“{parent}”格式不正确";
            }
            else if (!seen.Add(code))
            {
                problem = $"单位代码“{code}”重复";
            }

            if (problem is not null)
            {
                throw new UnitsFileException($"单位清单 {fileName} {where}：{problem}");
            }

            units.Add(new ExpectedUnit(code, name, kind, parent));
        }

        if (units.Count == 0)
        {
            throw new UnitsFileException($"单位清单 {fileName} 没有列出任何单位");
        }

        // A parent outside the list means "directly under the rollup's root".
        return units.ConvertAll(unit => unit.ParentCode is { } parent && !seen.Contains(parent) ? unit with { ParentCode = null } : unit);
    }

    /// <summary>Writes <paramref name="units"/> as a units file in the CSV shape <see cref="Read"/> takes.</summary>
    public static async Task WriteCsvAsync(string path, IEnumerable<ExpectedUnit> units, CancellationToken cancellationToken)
    {
        var lines = new List<string> { string.Join(",", Columns) };
        lines.AddRange(units.Select(unit => string.Join(",", Quote(unit.Code), Quote(unit.Name), Quote(unit.Kind), Quote(unit.ParentCode ?? ""))));
        await File.WriteAllLinesAsync(path, lines, cancellationToken);
    }

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;
}

/// <summary>A units file that cannot be used; the message says where and why, in Chinese.</summary>
public sealed class UnitsFileException(string message) : Exception(message);
