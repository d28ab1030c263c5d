using Aggregator.Storage;
using Aggregator.Storage.Units;

namespace Aggregator.Cli.Demo;

/// <summary>
/// A realistic district for the 2019 reports (fmt_2019): a district root, its departments and its townships and
/// streets, each unit's tables generated with plausible magnitudes that satisfy the rules, a few of them carrying
/// the mistakes real reports show, and units that did not submit.
/// </summary>
public sealed class DistrictScenario
{
    public const string FormatId = "fmt_2019";
    public const int Year = 2019;

    internal static readonly (string Code, string Name, bool Busy)[] Departments =
    [
        ("FGJ", "区发展和改革局", false), ("JYJ", "区教育局", true), ("KJJ", "区科学技术局", false),
        ("GAFJ", "区公安分局", true), ("MZJ", "区民政局", false), ("SFJ", "区司法局", false),
        ("CZJ", "区财政局", false), ("RSJ", "区人力资源和社会保障局", true), ("ZRZYJ", "区自然资源和规划局", true),
        ("STHJJ", "区生态环境分局", false), ("ZJJ", "区住房和城乡建设局", true), ("JTJ", "区交通运输局", false),
        ("SLJ", "区水利局", false), ("NYNCJ", "区农业农村局", false), ("SWJ", "区商务局", false),
        ("WGLTJ", "区文化和广电旅游体育局", false), ("WJJ", "区卫生健康局", true), ("TYJRJ", "区退役军人事务局", false),
        ("YJGLJ", "区应急管理局", false), ("SJJ", "区审计局", false), ("SCJGJ", "区市场监督管理局", true),
        ("TJJ", "区统计局", false), ("YBJ", "区医疗保障局", false), ("ZHZFJ", "区综合行政执法局", true),
        ("XFJ", "区信访局", false), ("SJGLJ", "区大数据发展管理局", false), ("JGSWJ", "区机关事务管理中心", false),
        ("ZFB", "区人民政府办公室", false), ("MZZJJ", "区民族宗教事务局", false), ("LYJ", "区林业局", false),
    ];

    internal static readonly (string Code, string Name, string Kind)[] Townships =
    [
        ("DMJD", "东门街道", OrgUnitKind.Street), ("XCJD", "西城街道", OrgUnitKind.Street), ("NHJD", "南湖街道", OrgUnitKind.Street),
        ("BSJD", "北山街道", OrgUnitKind.Street), ("QSZ", "青石镇", OrgUnitKind.Township), ("LTZ", "柳塘镇", OrgUnitKind.Township),
        ("HXZ", "荷溪镇", OrgUnitKind.Township), ("YKZ", "云口镇", OrgUnitKind.Township), ("SPX", "石坪乡", OrgUnitKind.Township),
        ("MLX", "梅岭乡", OrgUnitKind.Township),
    ];

    private DistrictScenario(ScenarioUnit root, IReadOnlyList<ScenarioUnit> units, IReadOnlyList<GeneratedSubmission> submissions)
    {
        Root = root;
        Units = units;
        Submissions = submissions;
    }

    public ScenarioUnit Root { get; }

    /// <summary>Every unit below the root (the units the period expects).</summary>
    public IReadOnlyList<ScenarioUnit> Units { get; }

    /// <summary>One submission per unit that submits.</summary>
    public IReadOnlyList<GeneratedSubmission> Submissions { get; }

    /// <summary>Units that submitted nothing.</summary>
    public IEnumerable<ScenarioUnit> MissingUnits =>
        Units.Where(unit => !Submissions.Any(s => s.Unit.Code == unit.Code));

    /// <summary>Root + units, ready to register.</summary>
    public IReadOnlyList<UnitRegistration> Registrations =>
        [.. new[] { Root }.Concat(Units).Select(unit => new UnitRegistration(unit.Code, unit.Name, unit.Kind, unit.Parent))];

    /// <summary>
    /// The 41-unit district of the demo: 30 departments and 10 townships and streets under 青岚区; three units break a
    /// rule (result total ≠ sum of results, a blank 总计 column, a broken S3 balance), two write the purchase amount
    /// with a unit in the cell ("251000元", "244.19万元"), and one township does not submit.
    /// </summary>
    public static DistrictScenario Standard(int seed = 2019) => Create(Departments.Length + Townships.Length, seed, withMistakes: true, missing: 1);

    /// <summary>A district of <paramref name="unitCount"/> units below the root (names repeat with a number past the first 40).</summary>
    public static DistrictScenario Create(int unitCount, int seed, bool withMistakes, int missing)
    {
        var random = new Random(seed);
        var root = new ScenarioUnit("QL", "青岚区", OrgUnitKind.District, null, false);
        var units = new List<ScenarioUnit>(unitCount);
        for (var i = 0; i < unitCount; i++)
        {
            var round = i / (Departments.Length + Townships.Length);
            var slot = i % (Departments.Length + Townships.Length);
            var suffix = round == 0 ? "" : $"{round + 1}";
            units.Add(slot < Departments.Length
                ? new ScenarioUnit($"QL-{Departments[slot].Code}{suffix}", Departments[slot].Name + suffix, OrgUnitKind.Department, root.Code, Departments[slot].Busy)
                : new ScenarioUnit($"QL-{Townships[slot - Departments.Length].Code}{suffix}", Townships[slot - Departments.Length].Name + suffix,
                    Townships[slot - Departments.Length].Kind, root.Code, false));
        }

        var generator = new TableGenerator(random);
        var submissions = new List<GeneratedSubmission>(unitCount);
        // The last units (townships in the standard district) are the ones that stay silent.
        var submitting = units.Take(Math.Max(0, unitCount - missing)).ToList();
        for (var i = 0; i < submitting.Count; i++)
        {
            var mistake = withMistakes ? MistakeFor(submitting[i]) : TableMistake.None;
            submissions.Add(generator.Generate(submitting[i], mistake));
        }

        return new DistrictScenario(root, units, submissions);
    }

    private static TableMistake MistakeFor(ScenarioUnit unit) => unit.Code.StartsWith("QL-", StringComparison.Ordinal) ? MistakeForSlot(unit.Code[3..]) : TableMistake.None;

    /// <summary>The mistake the district's unit of this slot (its code within the district, e.g. SWJ) makes.</summary>
    internal static TableMistake MistakeForSlot(string slot) => slot switch
    {
        "SWJ" => TableMistake.ResultTotalOff,
        "TJJ" => TableMistake.BlankTotalColumn,
        "HXZ" => TableMistake.BrokenBalance,
        "JTJ" => TableMistake.AmountInYuan,
        "SLJ" => TableMistake.AmountInTenThousandYuan,
        _ => TableMistake.None,
    };
}
