using System.Collections.Concurrent;
using Aggregator.Core.Forms;

namespace Aggregator.Core.CrossYear;

/// <summary>
/// One figure that this year's and last year's tables both hold: the cells that make it up in each format (one cell
/// each where the cell id is the same in both; several where one format splits what the other reports as one).
/// </summary>
/// <param name="Key">This year's cell id, or for a split figure its cells' ids joined with <c>+</c>.</param>
/// <param name="Label">The printed label in this year's format.</param>
/// <param name="Cell">This year's (first) cell, whose type and unit the figure has.</param>
public sealed record ComparableFigure(
    string Key,
    string Label,
    CellDefinition Cell,
    IReadOnlyList<int> CurrentCells,
    IReadOnlyList<int> PreviousCells);

/// <summary>
/// Which figures of two formats can be compared year to year, and a sentence for every part that cannot. The same
/// format compares cell by cell. fmt_2019 and fmt_2021 compare where they keep the cell id (forms.md: a changed row or
/// column gets a new id, so that formats are never silently added together), and （六）其他处理 of 2019 against the
/// sum of its three rows of 2021. The old statistics table (≤ 2018) counts differently throughout; only its
/// 收到申请数 has an obvious counterpart (本年新收申请总计).
/// </summary>
public sealed class YearOverYearMapping
{
    private static readonly ConcurrentDictionary<(FormDefinition, FormDefinition), YearOverYearMapping> Cache = new();

    private static readonly string[] S3Columns = ["natural_person", "commercial", "research", "public_interest", "legal_service", "other_org", "total"];

    // Figures that the two formats word or split differently but that mean the same thing; either may be this year's.
    private static readonly Correspondence[] Correspondences =
    [
        .. S3Columns.Select(c => new Correspondence(
            "fmt_2019", [$"s3.r3_6_other.{c}"], "fmt_2021", [$"s3.r3_6_1.{c}", $"s3.r3_6_2.{c}", $"s3.r3_6_3.{c}"])),
        new Correspondence("stat_pre2019", ["stat.s3_1.value"], "fmt_2019", ["s3.r1_new.total"]),
        new Correspondence("stat_pre2019", ["stat.s3_1.value"], "fmt_2021", ["s3.r1_new.total"]),
    ];

    private YearOverYearMapping(FormDefinition current, FormDefinition previous, IReadOnlyList<ComparableFigure> figures, IReadOnlyList<string> notComparable)
    {
        Current = current;
        Previous = previous;
        Figures = figures;
        NotComparable = notComparable;
    }

    public FormDefinition Current { get; }

    public FormDefinition Previous { get; }

    /// <summary>The comparable figures in this year's printed order.</summary>
    public IReadOnlyList<ComparableFigure> Figures { get; }

    /// <summary>What cannot be compared, one sentence per table, in Chinese; empty for the same format.</summary>
    public IReadOnlyList<string> NotComparable { get; }

    public static YearOverYearMapping Between(FormDefinition current, FormDefinition previous)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(previous);
        return Cache.GetOrAdd((current, previous), pair => Build(pair.Item1, pair.Item2));
    }

    /// <summary>How a format is named in the report: 2019年版表式, 2018年及以前的统计表.</summary>
    public static string FormatName(FormDefinition form)
    {
        ArgumentNullException.ThrowIfNull(form);
        return form.ValidYears.From is { } from
            ? $"{from}年版表式"
            : $"{form.ValidYears.To}年及以前的{form.Title}";
    }

    private static YearOverYearMapping Build(FormDefinition current, FormDefinition previous)
    {
        var figures = new List<(int Order, ComparableFigure Figure)>();
        var coveredCurrent = new HashSet<int>();
        var coveredPrevious = new HashSet<int>();
        var sameIds = current.Id == previous.Id || (!IsOldForm(current) && !IsOldForm(previous));
        if (sameIds)
        {
            foreach (var cell in current.Cells.Where(c => !c.IsHeading))
            {
                if (previous.TryGetCell(cell.Id, out var before) && !before.IsHeading)
                {
                    figures.Add((cell.Index, new ComparableFigure(cell.Id, cell.Label, cell, [cell.Index], [before.Index])));
                    coveredCurrent.Add(cell.Index);
                    coveredPrevious.Add(before.Index);
                }
            }
        }

        if (current.Id != previous.Id)
        {
            foreach (var correspondence in Correspondences)
            {
                if (correspondence.Orient(current.Id, previous.Id) is not var (now, before)
                    || !AllCells(current, now, out var nowCells)
                    || !AllCells(previous, before, out var beforeCells)
                    || nowCells.Any(coveredCurrent.Contains)
                    || beforeCells.Any(coveredPrevious.Contains))
                {
                    continue;
                }

                var first = current.Cells[nowCells[0]];
                var label = nowCells.Length == 1 ? first.Label : $"{first.Table()}{first.RowPathGroup()}（{first.ColumnLabel}，各项合计）";
                figures.Add((nowCells[0], new ComparableFigure(string.Join("+", now), label, first, nowCells, beforeCells)));
                coveredCurrent.UnionWith(nowCells);
                coveredPrevious.UnionWith(beforeCells);
            }
        }

        var notComparable = current.Id == previous.Id ? [] : Describe(current, previous, coveredCurrent, coveredPrevious);
        return new YearOverYearMapping(current, previous, [.. figures.OrderBy(f => f.Order).Select(f => f.Figure)], notComparable);
    }

    private static bool IsOldForm(FormDefinition form) => form.ValidYears.From is null;

    private static bool AllCells(FormDefinition form, string[] ids, out int[] cells)
    {
        cells = new int[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            if (!form.TryGetCell(ids[i], out var cell))
            {
                return false;
            }

            cells[i] = cell.Index;
        }

        return true;
    }

    private static List<string> Describe(FormDefinition current, FormDefinition previous, HashSet<int> coveredCurrent, HashSet<int> coveredPrevious)
    {
        const int listedAtMost = 8;
        var lines = new List<string>();
        var currentName = FormatName(current);
        var previousName = FormatName(previous);
        foreach (var (form, covered, name) in new[] { (previous, coveredPrevious, previousName), (current, coveredCurrent, currentName) })
        {
            foreach (var table in form.Tables)
            {
                var cells = table.Cells.Where(c => !c.IsHeading).ToList();
                var open = cells.Where(c => !covered.Contains(c.Index)).ToList();
                if (open.Count == 0)
                {
                    continue;
                }

                var title = table.Cells.Count > 0 ? table.Cells[0].Table() : table.Title;
                if (open.Count == cells.Count)
                {
                    lines.Add($"{title}：仅{name}有此表（或其各项与另一表式均不对应），不作比较。");
                    continue;
                }

                var items = open.GroupBy(c => c.RowId, StringComparer.Ordinal)
                    .Select(row =>
                    {
                        var all = cells.Count(c => c.RowId == row.Key);
                        var rowLabel = row.First().RowLabel;
                        return row.Count() == all
                            ? rowLabel
                            : $"{rowLabel}（{string.Join("、", row.Select(c => c.ColumnLabel))}）";
                    })
                    .ToList();
                lines.Add(items.Count > listedAtMost
                    ? $"{title}：{name}的其余{open.Count}项与另一表式口径不同，不作比较。"
                    : $"{title}：{name}的“{string.Join("”“", items)}”在另一表式中没有对应项目，不作比较。");
            }
        }

        return lines;
    }

    private sealed record Correspondence(string FormA, string[] CellsA, string FormB, string[] CellsB)
    {
        public (string[] Current, string[] Previous)? Orient(string current, string previous) =>
            (current, previous) == (FormA, FormB) ? (CellsA, CellsB)
            : (current, previous) == (FormB, FormA) ? (CellsB, CellsA)
            : null;
    }
}

internal static class CellNames
{
    /// <summary>The table as the report names it: 第二十条第（一）项, 三、收到和处理政府信息公开申请情况.</summary>
    public static string Table(this CellDefinition cell)
    {
        var prefix = cell.Label.IndexOf(' ', StringComparison.Ordinal);
        return cell.TableId.StartsWith("s2_", StringComparison.Ordinal) && prefix > 0 ? cell.Label[..prefix] : TableNumber(cell.TableId);
    }

    /// <summary>The group a row belongs to, e.g. （六）其他处理 for 1.申请人无正当理由逾期不补正….</summary>
    public static string RowPathGroup(this CellDefinition cell)
    {
        var space = cell.RowPath.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? cell.RowPath[..space] : cell.RowPath;
    }

    private static string TableNumber(string tableId) => tableId switch
    {
        "s3" => "表三",
        "s4" => "表四",
        "stat" => "统计表",
        _ => tableId,
    };
}
