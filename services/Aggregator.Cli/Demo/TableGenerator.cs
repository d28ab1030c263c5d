using System.Globalization;
using Aggregator.Core.Values;

namespace Aggregator.Cli.Demo;

/// <summary>
/// Generates one unit's fmt_2019 tables: most units small, busy units larger, every rule satisfied unless a
/// <see cref="TableMistake"/> is asked for. Deterministic for a given <see cref="Random"/> seed.
/// </summary>
public sealed class TableGenerator(Random random)
{
    private const string AmountCell = "s2_9.central_procurement.total_amount";

    private static readonly string[] ApplicantColumns = ["natural_person", "commercial", "research", "public_interest", "legal_service", "other_org"];

    // Result rows with how often applications end there, roughly as published district reports show.
    private static readonly (string Row, double Weight)[] ResultRows =
    [
        ("r3_1_granted", 40), ("r3_2_partial", 8), ("r3_3_1", 0.3), ("r3_3_2", 0.5), ("r3_3_3", 0.3), ("r3_3_4", 1),
        ("r3_3_5", 1), ("r3_3_6", 1), ("r3_3_7", 0.5), ("r3_3_8", 1), ("r3_4_1", 15), ("r3_4_2", 3), ("r3_4_3", 2),
        ("r3_5_1", 3), ("r3_5_2", 3), ("r3_5_3", 0.5), ("r3_5_4", 0.5), ("r3_5_5", 0.5), ("r3_6_other", 4),
    ];

    private static readonly string[] S3Rows =
        ["r1_new", "r2_carried_in", .. ResultRows.Select(r => r.Row), "r3_7_total", "r4_carry_out"];

    public GeneratedSubmission Generate(ScenarioUnit unit, TableMistake mistake)
    {
        var values = new Dictionary<string, decimal>(StringComparer.Ordinal);
        AddSection2(unit, values);
        AddSection3(unit, mistake, values);
        AddSection4(unit, values);

        var expectedErrors = new List<string>();
        string? note = null;
        switch (mistake)
        {
            case TableMistake.ResultTotalOff:
                Add(values, "s3.r3_7_total.natural_person", 1);
                Add(values, "s3.r3_7_total.total", 1);
                Add(values, "s3.r1_new.natural_person", 1);
                Add(values, "s3.r1_new.total", 1);
                expectedErrors.Add("S3-RESULT-TOTAL");
                note = "（七）总计比各项办理结果之和多 1";
                break;
            case TableMistake.BlankTotalColumn:
                foreach (var row in S3Rows)
                {
                    values.Remove($"s3.{row}.total");
                }

                expectedErrors.Add("S3-ROW-TOTAL");
                note = "表三“总计”列未填写";
                break;
            case TableMistake.BrokenBalance:
                Add(values, "s3.r4_carry_out.natural_person", 2);
                Add(values, "s3.r4_carry_out.total", 2);
                expectedErrors.Add("S3-BALANCE");
                note = "结转下年度多填 2 件，第一项加第二项之和不等于第三项加第四项之和";
                break;
            case TableMistake.AmountInYuan:
                values["s2_9.central_procurement.projects"] = Math.Max(1, values.GetValueOrDefault("s2_9.central_procurement.projects"));
                values[AmountCell] = 25.1m;
                note = "采购总金额写作“251000元”（按 25.1 万元计，不是错误）";
                break;
            case TableMistake.AmountInTenThousandYuan:
                values["s2_9.central_procurement.projects"] = Math.Max(1, values.GetValueOrDefault("s2_9.central_procurement.projects"));
                values[AmountCell] = 244.19m;
                note = "采购总金额写作“244.19万元”（不是错误）";
                break;
        }

        return Write(unit, mistake, values, expectedErrors, note);
    }

    private GeneratedSubmission Write(
        ScenarioUnit unit, TableMistake mistake, Dictionary<string, decimal> values, List<string> expectedErrors, string? note)
    {
        // Units differ in how they fill forms: some write every 0, some leave zero cells blank; some paste cells
        // padded with no-break spaces from Word.
        var writesZeros = random.NextDouble() < 0.5;
        var padsCells = random.NextDouble() < 0.2;
        var amountStyle = random.Next(3);
        var written = new Dictionary<string, SubmittedValue>(StringComparer.Ordinal);
        var intended = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var headerUnits = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (cell, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (value == 0 && !writesZeros && mistake is not (TableMistake.AmountInYuan or TableMistake.AmountInTenThousandYuan))
            {
                continue;
            }

            intended[cell] = value;
            var number = value.ToString(CultureInfo.InvariantCulture);
            if (cell == AmountCell)
            {
                written[cell] = mistake switch
                {
                    TableMistake.AmountInYuan => SubmittedValue.FromText("251000元"),
                    TableMistake.AmountInTenThousandYuan => SubmittedValue.FromText("244.19万元"),
                    _ when amountStyle == 0 => SubmittedValue.FromText(number + "万元"),
                    _ when amountStyle == 1 => SubmittedValue.FromNumber(value, number),
                    _ => SubmittedValue.FromText((value * 10_000m).ToString("0.##", CultureInfo.InvariantCulture) + "元"),
                };
                if (amountStyle == 1 && mistake == TableMistake.None)
                {
                    // The unit rewrote the printed header as 采购总金额（万元）, so a bare number is unambiguous.
                    headerUnits[cell] = "万元";
                }
            }
            else
            {
                written[cell] = padsCells ? SubmittedValue.FromText("\u00a0" + number + "\u00a0") : SubmittedValue.FromNumber(value, number);
            }
        }

        var document = new SubmissionDocument
        {
            FormatId = DistrictScenario.FormatId,
            Year = DistrictScenario.Year,
            UnitName = unit.Name,
            UnitCode = unit.Code,
            Values = written,
            UnitsFromHeader = headerUnits,
        };
        return new GeneratedSubmission(unit, document, intended, expectedErrors, note);
    }

    private void AddSection2(ScenarioUnit unit, Dictionary<string, decimal> values)
    {
        var busy = unit.Busy;
        values["s2_1.regulation.new_made"] = 0;
        values["s2_1.regulation.new_published"] = 0;
        values["s2_1.regulation.total_published"] = 0;
        var normative = Between(0, busy ? 8 : 3);
        values["s2_1.normative_doc.new_made"] = normative;
        values["s2_1.normative_doc.new_published"] = normative;
        values["s2_1.normative_doc.total_published"] = normative + Between(0, 30);

        AddItems(values, "s2_5.license", busy ? Between(20, 120) : Between(0, 25), busy ? Between(500, 8000) : Between(0, 200));
        AddItems(values, "s2_5.other_mgmt_service", Between(0, 20), Between(0, 300));
        AddItems(values, "s2_6.penalty", busy ? Between(30, 150) : Between(0, 20), busy ? Between(100, 3000) : Between(0, 50));
        AddItems(values, "s2_6.coercion", Between(0, 10), busy ? Between(0, 200) : Between(0, 5));

        var fees = Between(0, 5);
        values["s2_8.admin_fee.prev_year_items"] = fees;
        values["s2_8.admin_fee.change"] = fees == 0 ? 0 : Between(-1, 1);

        var projects = Between(0, busy ? 12 : 4);
        values["s2_9.central_procurement.projects"] = projects;
        values[AmountCell] = projects == 0 ? 0 : decimal.Round((decimal)(random.NextDouble() * (busy ? 800 : 120)) + 1, 2);
    }

    private void AddItems(Dictionary<string, decimal> values, string prefix, int previousItems, int decisions)
    {
        values[$"{prefix}.prev_year_items"] = previousItems;
        values[$"{prefix}.change"] = previousItems == 0 ? Between(0, 2) : Between(-Math.Min(3, previousItems), 3);
        values[$"{prefix}.decisions"] = decisions;
    }

    private void AddSection3(ScenarioUnit unit, TableMistake mistake, Dictionary<string, decimal> values)
    {
        var busy = unit.Busy;
        var perRow = S3Rows.ToDictionary(row => row, _ => new int[ApplicantColumns.Length], StringComparer.Ordinal);
        for (var c = 0; c < ApplicantColumns.Length; c++)
        {
            var incoming = ApplicantColumns[c] switch
            {
                "natural_person" => busy ? Between(20, 150) : Between(0, 12),
                "commercial" => busy ? Between(0, 20) : Between(0, 2),
                "legal_service" => busy ? Between(0, 8) : Between(0, 1),
                "other_org" => Between(0, 3),
                _ => random.NextDouble() < 0.1 ? 1 : 0,
            };
            if (c == 0 && mistake is TableMistake.ResultTotalOff or TableMistake.BlankTotalColumn or TableMistake.BrokenBalance)
            {
                // A mistake must show: a unit with no applications at all cannot get table 三 wrong.
                incoming = Math.Max(incoming, 3);
            }

            var carriedIn = random.NextDouble() < 0.3 ? Between(0, Math.Max(1, incoming / 10)) : 0;
            var carryOut = random.NextDouble() < 0.3 ? Between(0, (incoming + carriedIn) / 8) : 0;
            perRow["r1_new"][c] = incoming;
            perRow["r2_carried_in"][c] = carriedIn;
            perRow["r4_carry_out"][c] = carryOut;
            var handled = incoming + carriedIn - carryOut;
            perRow["r3_7_total"][c] = handled;
            for (var i = 0; i < handled; i++)
            {
                perRow[PickResultRow()][c]++;
            }
        }

        foreach (var (row, counts) in perRow)
        {
            for (var c = 0; c < ApplicantColumns.Length; c++)
            {
                values[$"s3.{row}.{ApplicantColumns[c]}"] = counts[c];
            }

            values[$"s3.{row}.total"] = counts.Sum();
        }
    }

    private void AddSection4(ScenarioUnit unit, Dictionary<string, decimal> values)
    {
        foreach (var row in new[] { "review", "lit_direct", "lit_after_review" })
        {
            var parts = new[] { "upheld", "corrected", "other", "pending" }
                .ToDictionary(column => column, _ => random.NextDouble() < (unit.Busy ? 0.4 : 0.05) ? Between(0, 3) : 0);
            foreach (var (column, count) in parts)
            {
                values[$"s4.{row}.{column}"] = count;
            }

            values[$"s4.{row}.total"] = parts.Values.Sum();
        }
    }

    private string PickResultRow()
    {
        var total = ResultRows.Sum(r => r.Weight);
        var pick = random.NextDouble() * total;
        foreach (var (row, weight) in ResultRows)
        {
            pick -= weight;
            if (pick < 0)
            {
                return row;
            }
        }

        return ResultRows[0].Row;
    }

    private int Between(int min, int max) => random.Next(min, max + 1);

    private static void Add(Dictionary<string, decimal> values, string cell, decimal amount) =>
        values[cell] = values.GetValueOrDefault(cell) + amount;
}
