using System.Globalization;
using Aggregator.Application.Rollups;

namespace Aggregator.Cli.Hosting;

/// <summary>The short bilingual summary a run prints: who was summed, who was not and why, a few totals, where the files are.</summary>
public static class RollupSummary
{
    private const string MoneyCell = "s2_9.central_procurement.total_amount";

    private static readonly (string Cell, string Label)[] HeadlineCells =
    [
        ("s3.r1_new.total", "本年新收政府信息公开申请 new applications"),
        ("s3.r3_1_granted.total", "予以公开 granted"),
        ("s3.r3_7_total.total", "办理结果总计 applications handled"),
        ("s4.review.total", "行政复议 administrative reviews"),
        ("s4.lit_direct.total", "行政诉讼（直接起诉）lawsuits"),
        (MoneyCell, "政府集中采购总金额（万元）procurement, 10k yuan"),
        ("stat.s3_1.value", "收到申请数 applications received"),
        ("stat.s1_1.value", "主动公开政府信息数 items published"),
    ];

    public static void Write(
        TextWriter output, string title, RollupView rollup, IEnumerable<(string Label, string Path)> files, TimeSpan elapsed, FolderOutcome? outcome = null)
    {
        outcome ??= FolderOutcome.None;
        var rejected = rollup.Rejected.Count + outcome.Unreadable.Count;
        var expected = rollup.Included.Count + rejected + rollup.Missing.Count + rollup.Pending.Count;
        output.WriteLine();
        output.WriteLine(title);
        output.WriteLine($"应报单位 expected: {expected}  已汇总 included: {rollup.Included.Count}  未通过 rejected: {rejected}  未报送 missing: {rollup.Missing.Count}"
            + (rollup.Pending.Count > 0 ? $"  待校验 pending: {rollup.Pending.Count}" : "")
            + (outcome.Skipped.Count > 0 ? $"  跳过 skipped: {outcome.Skipped.Count}" : ""));
        if (rejected > 0)
        {
            output.WriteLine("未通过单位 rejected units:");
            foreach (var unit in rollup.Rejected)
            {
                output.WriteLine($"  {unit.UnitName} ({unit.UnitCode}): {string.Join(", ", unit.Rules)}");
            }

            foreach (var file in outcome.Unreadable)
            {
                output.WriteLine($"  {file.UnitName} ({file.UnitCode}): {Commands.RollupCommand.UnreadableRule} {file.FileName}：{file.Reason}");
            }
        }

        if (outcome.Skipped.Count > 0)
        {
            output.WriteLine("跳过的文件 skipped files:");
            foreach (var file in outcome.Skipped)
            {
                output.WriteLine($"  {file.FileName}: {file.Reason}");
            }
        }

        if (rollup.Missing.Count > 0)
        {
            output.WriteLine($"未报送 missing: {string.Join("、", rollup.Missing.Select(u => $"{u.UnitName} ({u.UnitCode})"))}");
        }

        output.WriteLine("合计 totals:");
        foreach (var (cell, label) in HeadlineCells)
        {
            if (rollup.Values.TryGetValue(cell, out var value))
            {
                output.WriteLine($"  {label}: {Figure(cell, value)}");
            }
        }

        output.WriteLine(rollup.Validation.Any(v => v.IsError)
            ? $"汇总表自身校验 consolidated table check: {rollup.Validation.Count(v => v.IsError)} 项错误 errors"
            : "汇总表自身校验 consolidated table check: 通过 passed");
        output.WriteLine("文件 files:");
        foreach (var (label, path) in files)
        {
            output.WriteLine($"  {label}: {path}");
        }

        output.WriteLine($"用时 elapsed: {elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
    }

    /// <summary>The totals split by the root's direct children: each child's units and its headline figures.</summary>
    public static void WriteChildren(TextWriter output, IReadOnlyList<RollupChild> children)
    {
        output.WriteLine("直属下级 direct children:");
        foreach (var child in children)
        {
            var figures = HeadlineCells.Take(3)
                .Select(headline => $"{headline.Label.Split(' ')[0]} {Figure(headline.Cell, child.Values.GetValueOrDefault(headline.Cell))}");
            output.WriteLine($"  {child.UnitName} ({child.UnitCode}): {child.Units} 个单位 units；{string.Join("；", figures)}");
        }
    }

    // Counts are grouped for reading at a glance; money keeps every decimal it has, as the report prints it
    // (4.5 元 summed is 0.00045 万元, not a rounded 0.0005).
    private static string Figure(string cell, decimal value) =>
        cell == MoneyCell
            ? (value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture)
            : value.ToString("#,0.######", CultureInfo.InvariantCulture);
}
