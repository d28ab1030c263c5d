using Aggregator.Cli.Hosting;
using Aggregator.Storage;
using Aggregator.Storage.Units;

namespace Aggregator.Cli.Demo;

/// <summary>
/// A national-style tree for the 2019 reports: a city of districts, or past <see cref="DistrictsPerCity"/> districts a
/// province of cities of districts, each district's departments, townships and streets the leaves that report (the
/// same names, tables and broken units as <see cref="DistrictScenario"/>, one silent township in each district).
/// </summary>
public sealed class TreeScenario
{
    public const int DefaultLeafCount = 120;
    public const int DistrictsPerCity = 8;

    private static readonly int LeavesPerDistrict = DistrictScenario.Departments.Length + DistrictScenario.Townships.Length;

    // Place names are composed from two characters, so that hundreds of districts and dozens of cities stay distinct.
    private static readonly string[] First = ["青", "云", "石", "梅", "柳", "荷", "金", "玉", "龙", "凤", "鹤", "桂", "松", "枫", "兰", "竹"];
    private static readonly string[] Second = ["岚", "江", "溪", "山", "湖", "阳", "川", "林", "泉", "桥", "岭", "原", "城", "宁", "安", "丰"];
    private static readonly string[] CityFirst = ["澄", "临", "永", "长", "崇", "怀", "宜", "清", "常", "思", "建", "德", "嘉", "昌", "平", "武"];
    private static readonly string[] CitySecond = ["江", "州", "川", "阳", "兴", "安", "宁", "定", "远", "南", "昌", "化", "德", "和", "源", "都"];

    private readonly IReadOnlyList<(ScenarioUnit Unit, TableMistake Mistake)> _planned;
    private readonly int _seed;
    private readonly Lazy<IReadOnlyList<GeneratedSubmission>> _submissions;

    private TreeScenario(ScenarioUnit root, IReadOnlyList<ScenarioUnit> inner, IReadOnlyList<ScenarioUnit> leaves, IReadOnlyList<(ScenarioUnit, TableMistake)> planned, int seed)
    {
        Root = root;
        InnerUnits = inner;
        Leaves = leaves;
        _planned = planned;
        _seed = seed;
        _submissions = new Lazy<IReadOnlyList<GeneratedSubmission>>(() => [.. GenerateSubmissions()]);
    }

    public ScenarioUnit Root { get; }

    /// <summary>The nodes between the root and the leaves (cities, districts), parents before their children.</summary>
    public IReadOnlyList<ScenarioUnit> InnerUnits { get; }

    /// <summary>The units that report.</summary>
    public IReadOnlyList<ScenarioUnit> Leaves { get; }

    /// <summary>Every submission, generated on first use and kept: at 10⁵ units that is gigabytes; a run that only
    /// passes them on reads <see cref="GenerateSubmissions"/> instead.</summary>
    public IReadOnlyList<GeneratedSubmission> Submissions => _submissions.Value;

    /// <summary>How many units submit (all but one silent unit per district).</summary>
    public int SubmissionCount => _planned.Count;

    /// <summary>The same submissions as <see cref="Submissions"/>, in the same order, generated one at a time as they are
    /// read and not kept.</summary>
    public IEnumerable<GeneratedSubmission> GenerateSubmissions()
    {
        var generator = new TableGenerator(new Random(_seed));
        foreach (var (unit, mistake) in _planned)
        {
            yield return generator.Generate(unit, mistake);
        }
    }

    /// <summary>The submissions as the pipeline takes them, generated anew each time they are read.</summary>
    public GeneratedDocuments Documents() =>
        new(SubmissionCount, () => GenerateSubmissions().Select(s => new UnitDocument(s.Unit.Code, s.Document)));

    /// <summary>Every unit below the root, parents first.</summary>
    public IEnumerable<ScenarioUnit> Units => InnerUnits.Concat(Leaves);

    public IReadOnlyList<UnitRegistration> Registrations =>
        [.. new[] { Root }.Concat(Units).Select(unit => new UnitRegistration(unit.Code, unit.Name, unit.Kind, unit.Parent))];

    /// <param name="leafCount">About how many units report; split evenly over ⌈count / 40⌉ districts.</param>
    public static TreeScenario Create(int leafCount = DefaultLeafCount, int seed = 2019)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(leafCount, 1);
        var districtCount = (leafCount + LeavesPerDistrict - 1) / LeavesPerDistrict;
        var inner = new List<ScenarioUnit>();
        ScenarioUnit root;
        var districtParents = new List<ScenarioUnit>();
        if (districtCount <= DistrictsPerCity)
        {
            root = new ScenarioUnit("CJ", "澄江市", OrgUnitKind.City, null, false);
            districtParents.AddRange(Enumerable.Repeat(root, districtCount));
        }
        else
        {
            root = new ScenarioUnit("YL", "云岭省", OrgUnitKind.Other, null, false);
            var cityCount = (districtCount + DistrictsPerCity - 1) / DistrictsPerCity;
            for (var c = 0; c < cityCount; c++)
            {
                var city = new ScenarioUnit($"YL-C{c + 1:00}", PlaceName(CityFirst, CitySecond, c) + "市", OrgUnitKind.City, root.Code, false);
                inner.Add(city);
                districtParents.AddRange(Enumerable.Repeat(city, Math.Min(DistrictsPerCity, districtCount - (c * DistrictsPerCity))));
            }
        }

        var leaves = new List<ScenarioUnit>(leafCount);
        var planned = new List<(ScenarioUnit, TableMistake)>(leafCount);
        for (var d = 0; d < districtCount; d++)
        {
            var parent = districtParents[d];
            var districtName = PlaceName(First, Second, d) + "区";
            var district = new ScenarioUnit($"{parent.Code}-D{d + 1:000}", districtName, OrgUnitKind.District, parent.Code, false);
            inner.Add(district);
            var size = (leafCount / districtCount) + (d < leafCount % districtCount ? 1 : 0);
            for (var slot = 0; slot < size; slot++)
            {
                var (code, unit) = Leaf(district, slot);
                leaves.Add(unit);
                // The district's last unit stays silent (a township when the district is full).
                if (slot < size - 1 || size == 1)
                {
                    planned.Add((unit, DistrictScenario.MistakeForSlot(code)));
                }
            }
        }

        // Cities first, then districts: parents before their children.
        return new TreeScenario(root, [.. inner.OrderBy(unit => unit.Kind == OrgUnitKind.District)], leaves, planned, seed);
    }

    private static (string Slot, ScenarioUnit Unit) Leaf(ScenarioUnit district, int slot)
    {
        var departments = DistrictScenario.Departments;
        if (slot < departments.Length)
        {
            var (code, name, busy) = departments[slot];
            // "区教育局" of 青岚区 is 青岚区教育局.
            return (code, new ScenarioUnit($"{district.Code}-{code}", district.Name + name[1..], OrgUnitKind.Department, district.Code, busy));
        }

        var (townCode, townName, kind) = DistrictScenario.Townships[slot - departments.Length];
        return (townCode, new ScenarioUnit($"{district.Code}-{townCode}", townName, kind, district.Code, false));
    }

    private static string PlaceName(string[] first, string[] second, int index)
    {
        var combinations = first.Length * second.Length;
        var round = index / combinations;
        var within = index % combinations;
        // Walk the pairs diagonally so that neighbours do not share their first character.
        var name = first[within % first.Length] + second[((within / first.Length) + within) % second.Length];
        return round == 0 ? name : name + (round + 1);
    }
}
