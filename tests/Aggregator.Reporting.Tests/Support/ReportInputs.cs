using Aggregator.Core.Forms;
using Aggregator.Core.Rules;
using Aggregator.Core.Summation;
using Aggregator.Core.Values;

namespace Aggregator.Reporting.Tests.Support;

/// <summary>Report inputs built the way the service builds them: unit tables normalised, summed and validated by the core.</summary>
public static class ReportInputs
{
    public static readonly DateTimeOffset GeneratedAt = new(2020, 1, 20, 9, 30, 0, TimeSpan.FromHours(8));

    /// <summary>Seed 002 (洞头区 2019, itself a consolidated report) as read by the core: money in 万元, "4个" as 4.</summary>
    public static NormalizedTable Seed002()
    {
        var document = SubmissionDocument.Parse(File.ReadAllText(DomainFolder.File("transcribed/seed_002.json")));
        var result = SubmissionValidator.Default.Validate(document);
        Assert.Equal(ValidationOutcome.Accepted, result.Outcome);
        return result.Table;
    }

    /// <summary>
    /// A consolidated input whose sums are seed 002's values: three departments share the figures (a third, a third,
    /// the rest), one unit did not submit and one was rejected.
    /// </summary>
    public static ReportInput Seed002District()
    {
        var seed = Seed002();
        var form = seed.Form;
        var shares = Split(seed, 3);
        var units = new[]
        {
            ("330305001", "温州市洞头区教育局"),
            ("330305002", "温州市洞头区卫生健康局"),
            ("330305003", "温州市洞头区北岙街道办事处"),
        };
        var inputs = units.Select((u, i) => new RollupInput(u.Item1, shares[i])).ToList();
        var rollup = RollupCalculator.Sum(form, inputs);
        return new ReportInput
        {
            FormatId = form.Id,
            Year = 2019,
            UnitName = "温州市洞头区",
            GeneratedAt = GeneratedAt,
            Edition = ReportEdition.Internal,
            Values = ReportValues.From(rollup.Total),
            IncludedUnits = [.. units.Select((u, i) => new IncludedUnit(u.Item1, u.Item2, i + 1, ReportValues.From(shares[i])))],
            MissingUnits = [new MissingUnit("330305004", "温州市洞头区大门镇人民政府")],
            RejectedUnits =
            [
                new RejectedUnit("330305005", "温州市洞头区商务局", 2,
                [
                    new ReportViolation("S3-BALANCE", Severity.Error, "三、收到和处理政府信息公开申请情况（总计）：第一项加第二项之和 5 不等于第三项加第四项之和 7"),
                    new ReportViolation("S3-TOTAL-BLANK", Severity.Warning, "（七）总计（总计）为空，但其各项不为0"),
                ]),
            ],
            RollupViolations = [.. RuleEvaluator.Evaluate(rollup.Total).Select(ReportViolation.From)],
        };
    }

    /// <summary>
    /// A district of <paramref name="unitCount"/> units of <paramref name="formatId"/> whose tables satisfy every rule;
    /// unit i's table is seed-like figures scaled by a small factor, so sums stay valid.
    /// </summary>
    public static ReportInput District(string formatId, int year, int unitCount, int missing = 0, int rejected = 0)
    {
        var form = FormCatalog.Default.Get(formatId);
        var basis = ValidTable(form);
        var units = Enumerable.Range(1, unitCount)
            .Select(i => (Code: $"3303050{i:00}", Name: UnitName(i), Table: Scale(basis, i % 4)))
            .ToList();
        var rollup = RollupCalculator.Sum(form, units.Select(u => new RollupInput(u.Code, u.Table)));
        return new ReportInput
        {
            FormatId = formatId,
            Year = year,
            UnitName = "温州市洞头区",
            GeneratedAt = GeneratedAt,
            Edition = ReportEdition.Internal,
            Values = ReportValues.From(rollup.Total),
            IncludedUnits = [.. units.Select(u => new IncludedUnit(u.Code, u.Name, 1, ReportValues.From(u.Table)))],
            MissingUnits = [.. Enumerable.Range(unitCount + 1, missing).Select(i => new MissingUnit($"3303050{i:00}", UnitName(i)))],
            RejectedUnits = [.. Enumerable.Range(unitCount + missing + 1, rejected).Select(i => new RejectedUnit(
                $"3303050{i:00}",
                UnitName(i),
                1,
                [new ReportViolation("S3-BALANCE", Severity.Error, "第一项加第二项之和不等于第三项加第四项之和")]))],
            RollupViolations = [.. RuleEvaluator.Evaluate(rollup.Total).Select(ReportViolation.From)],
        };
    }

    private static readonly string[] Departments =
    [
        "区政府办公室", "区发展和改革局", "区教育局", "区科学技术局", "区公安分局", "区民政局", "区司法局", "区财政局",
        "区人力资源和社会保障局", "自然资源和规划分局", "生态环境分局", "区住房和城乡建设局", "区交通运输局", "区农业农村局",
        "区商务局", "区文化和广电旅游体育局", "区卫生健康局", "区退役军人事务局", "区应急管理局", "区审计局",
        "区市场监督管理局", "区统计局", "区医疗保障局", "区综合行政执法局", "区信访局", "区大数据管理中心", "区档案馆",
        "区机关事务管理中心", "区投资促进中心", "区海洋与渔业局", "区水利局", "区林业局", "区民族宗教事务局", "区国资办",
        "北岙街道办事处", "东屏街道办事处", "元觉街道办事处", "霓屿街道办事处", "灵昆街道办事处", "大门镇人民政府",
        "鹿西乡人民政府", "区残疾人联合会", "区红十字会", "区供销合作社", "区气象局", "区消防救援大队",
    ];

    private static string UnitName(int i) => "温州市洞头区" + Departments[(i - 1) % Departments.Length].TrimStart('区');

    private static NormalizedTable ValidTable(FormDefinition form)
    {
        if (form.Id == "fmt_2019")
        {
            return Seed002();
        }

        var table = NormalizedTable.Blank(form);
        var values = form.Id == "fmt_2021"
            ? new Dictionary<string, decimal>
            {
                ["s2_1.normative_doc.issued"] = 3, ["s2_1.normative_doc.repealed"] = 1, ["s2_1.normative_doc.in_force"] = 12,
                ["s2_5.license.decisions"] = 420, ["s2_6.penalty.decisions"] = 31, ["s2_8.admin_fee.amount"] = 12.35m,
                ["s3.r1_new.natural_person"] = 5, ["s3.r1_new.commercial"] = 1, ["s3.r1_new.total"] = 6,
                ["s3.r3_1_granted.natural_person"] = 3, ["s3.r3_1_granted.total"] = 3,
                ["s3.r3_6_1.natural_person"] = 1, ["s3.r3_6_1.total"] = 1,
                ["s3.r3_6_3.commercial"] = 1, ["s3.r3_6_3.total"] = 1,
                ["s3.r3_7_total.natural_person"] = 4, ["s3.r3_7_total.commercial"] = 1, ["s3.r3_7_total.total"] = 5,
                ["s3.r4_carry_out.natural_person"] = 1, ["s3.r4_carry_out.total"] = 1,
                ["s4.review.upheld"] = 1, ["s4.review.total"] = 1,
            }
            : new Dictionary<string, decimal>
            {
                ["stat.s1_1.value"] = 120, ["stat.s1_1a.value"] = 3, ["stat.s1_1b.value"] = 4,
                ["stat.s1_2_2.value"] = 100, ["stat.s1_2_4.value"] = 40,
                ["stat.s2_1.value"] = 2, ["stat.s2_2_3.value"] = 3,
                ["stat.s3_1.value"] = 4, ["stat.s3_1_3.value"] = 3, ["stat.s3_1_4.value"] = 1,
                ["stat.s3_2.value"] = 4, ["stat.s3_2_1.value"] = 4,
                ["stat.s3_3.value"] = 4, ["stat.s3_3_2.value"] = 2, ["stat.s3_3_3.value"] = 1, ["stat.s3_3_6.value"] = 1,
                ["stat.s4.value"] = 1, ["stat.s4_1.value"] = 1,
                ["stat.s7_3.value"] = 2, ["stat.s7_3_1.value"] = 1, ["stat.s7_3_2.value"] = 1, ["stat.s7_4.value"] = 1.5m,
            };
        foreach (var (cellId, value) in values)
        {
            table = table.WithValue(cellId, value);
        }

        Assert.DoesNotContain(RuleEvaluator.Evaluate(table), v => v.Severity == Severity.Error);
        return table;
    }

    private static NormalizedTable Scale(NormalizedTable table, int factor) =>
        NormalizedTable.FromValues(table.Form, table.FilledCells.Select(c => new KeyValuePair<string, decimal?>(c.Cell.Id, c.Value * factor)));

    // Splits every value into parts that add up to it exactly; the parts need not be valid tables themselves.
    private static NormalizedTable[] Split(NormalizedTable table, int parts)
    {
        var result = new NormalizedTable[parts];
        for (var p = 0; p < parts; p++)
        {
            var values = table.FilledCells.Select(c =>
            {
                var share = c.Cell.IsMoney ? Math.Round(c.Value / parts, 2) : decimal.Floor(c.Value / parts);
                var value = p == parts - 1 ? c.Value - (share * (parts - 1)) : share;
                return new KeyValuePair<string, decimal?>(c.Cell.Id, value);
            });
            result[p] = NormalizedTable.FromValues(table.Form, values);
        }

        return result;
    }
}
