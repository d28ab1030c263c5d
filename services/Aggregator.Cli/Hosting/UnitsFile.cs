using Aggregator.Application.Units;

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
    public const string Shape = UnitList.Shape;

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

        UnitListRead read;
        try
        {
            read = file.Extension.ToUpperInvariant() switch
            {
                ".CSV" => ReadCsv(file),
                ".JSON" => UnitList.ReadJson(File.ReadAllBytes(file.FullName)),
                _ => throw new UnitsFileException($"单位清单 {file.Name} 的扩展名应为 .csv 或 .json，格式为 {Shape}"),
            };
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UnitsFileException($"无法读取单位清单 {file.FullName}：{exception.Message}");
        }

        if (read.Errors.Count > 0)
        {
            var first = read.Errors[0];
            throw new UnitsFileException(first.Where.Length == 0 ? $"单位清单 {file.Name} {first.Message}" : $"单位清单 {file.Name} {first.Where}：{first.Message}");
        }

        // A parent outside the list means "directly under the rollup's root".
        var listed = read.Units.Select(unit => unit.Code).ToHashSet(StringComparer.Ordinal);
        return [.. read.Units.Select(unit => new ExpectedUnit(unit.Code, unit.Name, unit.Kind,
            unit.ParentCode is { } parent && listed.Contains(parent) ? parent : null))];
    }

    private static UnitListRead ReadCsv(FileInfo file)
    {
        using var reader = new StreamReader(file.FullName, System.Text.Encoding.UTF8);
        return UnitList.ReadCsv(reader);
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
