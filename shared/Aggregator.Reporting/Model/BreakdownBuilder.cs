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

    /// <summary>The key cells of the per-unit table that the format has, in column order.</summary>
    public static IReadOnlyList<(CellDefinition Cell, string Label)> KeyCellsOf(FormDefinition form) =>
        [.. KeyCells.Where(k => form.TryGetCell(k.CellId, out _)).Select(k => (form.GetCell(k.CellId), k.Label))];

    /// <exception cref="ArgumentException">The breakdown is of other units or of another format.</exception>
    public static BreakdownModel Build(FormDefinition form, IReadOnlyList<BreakdownRow> units, decimal?[] totals, UnitBreakdown breakdown)
    {
        if (breakdown.Form.Id != form.Id || !breakdown.UnitCodes.SequenceEqual(units.Select(u => u.Code), StringComparer.Ordinal))
        {
            throw new ArgumentException("The unit breakdown is not of the report's format and included units.", nameof(breakdown));
        }

        var keyCells = breakdown.KeyCells;
        var unitFigures = units
            .Select((u, i) => new UnitFigures(
                u.Code,
                u.Name,
                u.Version ?? 0,
                [.. keyCells.Select((k, column) => CellValueFormatter.Format(k.Cell, breakdown.KeyValue(i, column)))],
                [.. keyCells.Select((_, column) => breakdown.KeyValue(i, column) ?? 0m)])
            {
                IsNode = u.Version is null,
                Units = u.Units,
            })
            .ToList();

        var sources = new List<CellSource>();
        var balanced = true;
        foreach (var cell in form.Cells.Where(c => !c.IsHeading))
        {
            var total = totals[cell.Index] ?? 0m;
            var sum = breakdown.SumOf(cell.Index);
            var cellBalanced = total == sum;
            balanced &= cellBalanced;
            if (total == 0m && cellBalanced)
            {
                continue;
            }

            var count = breakdown.CountOf(cell.Index);
            var largest = breakdown.LargestOf(cell.Index);
            // Every contributor in unit order when few; else the largest, largest first, and the rest as one sum.
            var listed = count <= CellSource.MaxListed ? [.. largest.OrderBy(entry => entry.Unit)] : largest.ToList();
            sources.Add(new CellSource(
                cell.Id,
                cell.Label,
                CellValueFormatter.Format(cell, total),
                cellBalanced,
                CellValueFormatter.Format(cell, sum),
                count,
                [.. listed.Select(entry => new Contribution(units[entry.Unit].Code, units[entry.Unit].Name, CellValueFormatter.Format(cell, entry.Value)))],
                count - listed.Count,
                count > listed.Count ? CellValueFormatter.Format(cell, sum - listed.Sum(entry => entry.Value)) : string.Empty));
        }

        return new BreakdownModel(
            [.. keyCells.Select(k => new KeyColumn(k.Cell.Id, k.Label, CellValueFormatter.KindOf(k.Cell)))],
            unitFigures,
            [.. keyCells.Select(k => CellValueFormatter.Format(k.Cell, totals[k.Cell.Index]))],
            [.. keyCells.Select(k => totals[k.Cell.Index] ?? 0m)],
            sources,
            balanced);
    }
}
