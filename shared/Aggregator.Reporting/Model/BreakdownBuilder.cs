using Aggregator.Core.Forms;

namespace Aggregator.Reporting.Model;

/// <summary>Builds 附件1: the included units' key figures and the contributors of every summed cell.</summary>
internal static class BreakdownBuilder
{
    // Short column headings for the per-unit table; a format shows those of its cells that it has.
    private static readonly (string CellId, string Label)[] KeyCells =
    [
        ("s2_1.normative_doc.new_published", "规范性文件本年新公开"),
        ("s2_1.normative_doc.issued", "行政规范性文件本年制发"),
        ("s3.r1_new.total", "本年新收申请"),
        ("s3.r2_carried_in.total", "上年结转申请"),
        ("s3.r3_7_total.total", "办理结果总计"),
        ("s3.r4_carry_out.total", "结转下年度"),
        ("s4.review.total", "行政复议"),
        ("s4.lit_direct.total", "未经复议直接起诉"),
        ("s4.lit_after_review.total", "复议后起诉"),
        ("stat.s1_1.value", "主动公开政府信息"),
        ("stat.s3_1.value", "收到申请"),
        ("stat.s3_3.value", "申请答复"),
        ("stat.s4.value", "行政复议"),
        ("stat.s5.value", "行政诉讼"),
        ("stat.s6.value", "举报投诉"),
    ];

    public static BreakdownModel Build(
        FormDefinition form,
        IReadOnlyList<IncludedUnit> units,
        decimal?[] totals,
        IReadOnlyList<decimal?[]> unitValues)
    {
        var keyCells = KeyCells
            .Where(k => form.TryGetCell(k.CellId, out _))
            .Select(k => (Cell: form.GetCell(k.CellId), k.Label))
            .ToList();
        var unitFigures = units
            .Select((u, i) => new UnitFigures(
                u.Code,
                u.Name,
                u.Version,
                [.. keyCells.Select(k => CellValueFormatter.Format(k.Cell, unitValues[i][k.Cell.Index]))],
                [.. keyCells.Select(k => unitValues[i][k.Cell.Index] ?? 0m)]))
            .ToList();

        var sources = new List<CellSource>();
        var balanced = true;
        foreach (var cell in form.Cells.Where(c => !c.IsHeading))
        {
            var total = totals[cell.Index] ?? 0m;
            var sum = unitValues.Sum(v => v[cell.Index] ?? 0m);
            var cellBalanced = total == sum;
            balanced &= cellBalanced;
            if (total == 0m && cellBalanced)
            {
                continue;
            }

            var (count, listed, othersSum) = Contributors(unitValues, cell.Index);
            sources.Add(new CellSource(
                cell.Id,
                cell.Label,
                CellValueFormatter.Format(cell, total),
                cellBalanced,
                CellValueFormatter.Format(cell, sum),
                count,
                [.. listed.Select(i => new Contribution(units[i].Code, units[i].Name, CellValueFormatter.Format(cell, unitValues[i][cell.Index])))],
                count - listed.Count,
                count > listed.Count ? CellValueFormatter.Format(cell, othersSum) : string.Empty));
        }

        return new BreakdownModel(
            [.. keyCells.Select(k => new KeyColumn(k.Cell.Id, k.Label, CellValueFormatter.KindOf(k.Cell)))],
            unitFigures,
            [.. keyCells.Select(k => CellValueFormatter.Format(k.Cell, totals[k.Cell.Index]))],
            [.. keyCells.Select(k => totals[k.Cell.Index] ?? 0m)],
            sources,
            balanced);
    }

    /// <summary>
    /// The units with a non-zero value in the cell: how many, the indexes of those to name (all, in unit order, when
    /// few; else the largest by magnitude), and the sum of the others. One pass over the units, whatever their number.
    /// </summary>
    private static (int Count, List<int> Listed, decimal OthersSum) Contributors(IReadOnlyList<decimal?[]> unitValues, int cellIndex)
    {
        var count = 0;
        var largest = new List<int>(CellSource.MaxListed + 1);
        var sum = 0m;
        for (var i = 0; i < unitValues.Count; i++)
        {
            if (unitValues[i][cellIndex] is not { } value || value == 0m)
            {
                continue;
            }

            count++;
            sum += value;
            // Kept ordered by magnitude, largest first; an equal value keeps the earlier unit ahead.
            var at = largest.FindIndex(j => Math.Abs(unitValues[j][cellIndex]!.Value) < Math.Abs(value));
            if (at < 0 && largest.Count < CellSource.MaxListed)
            {
                largest.Add(i);
            }
            else if (at >= 0)
            {
                largest.Insert(at, i);
                if (largest.Count > CellSource.MaxListed)
                {
                    largest.RemoveAt(largest.Count - 1);
                }
            }
        }

        if (count <= CellSource.MaxListed)
        {
            largest.Sort();
            return (count, largest, 0m);
        }

        return (count, largest, sum - largest.Sum(j => unitValues[j][cellIndex]!.Value));
    }
}
