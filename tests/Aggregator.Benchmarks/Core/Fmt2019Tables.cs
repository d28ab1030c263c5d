using System.Globalization;
using Aggregator.Core.Forms;
using Aggregator.Core.Values;

namespace Aggregator.Benchmarks.Core;

/// <summary>Full fmt_2019 tables (every cell filled) that satisfy every rule, drawn from a seeded generator.</summary>
internal static class Fmt2019Tables
{
    private static readonly string[] Applicants = ["natural_person", "commercial", "research", "public_interest", "legal_service", "other_org"];

    public static FormDefinition Form => FormCatalog.Default.Get("fmt_2019");

    public static Dictionary<string, decimal> Values(int seed)
    {
        var random = new Random(seed);
        var form = Form;
        var values = form.Cells.ToDictionary(c => c.Id, c => c.Type switch
        {
            CellType.SignedInteger => (decimal)random.Next(-20, 20),
            CellType.Decimal => random.Next(0, 100_000) / 100m,
            _ => random.Next(0, 50),
        });
        foreach (var row in new[] { "regulation", "normative_doc" })
        {
            values[$"s2_1.{row}.total_published"] = values[$"s2_1.{row}.new_published"] + random.Next(0, 100);
        }

        var s3 = form.Tables.Single(t => t.Id == "s3");
        var results = s3.Rows.SkipWhile(r => r.Id != "r3").Skip(1).TakeWhile(r => r.Id != "r3_7_total").Where(r => r.HasCells).ToList();
        foreach (var column in Applicants)
        {
            var total = results.Sum(r => values[$"s3.{r.Id}.{column}"]);
            values[$"s3.r3_7_total.{column}"] = total;
            values[$"s3.r1_new.{column}"] = total + values[$"s3.r4_carry_out.{column}"] - values[$"s3.r2_carried_in.{column}"];
            if (values[$"s3.r1_new.{column}"] < 0)
            {
                values[$"s3.r2_carried_in.{column}"] += values[$"s3.r1_new.{column}"];
                values[$"s3.r1_new.{column}"] = 0;
            }
        }

        foreach (var row in s3.Rows.Where(r => r.HasCells))
        {
            values[$"s3.{row.Id}.total"] = Applicants.Sum(c => values[$"s3.{row.Id}.{c}"]);
        }

        foreach (var row in new[] { "review", "lit_direct", "lit_after_review" })
        {
            values[$"s4.{row}.total"] = new[] { "upheld", "corrected", "other", "pending" }.Sum(c => values[$"s4.{row}.{c}"]);
        }

        return values;
    }

    public static NormalizedTable Table(int seed) =>
        NormalizedTable.FromValues(Form, Values(seed).Select(v => new KeyValuePair<string, decimal?>(v.Key, v.Value)));

    /// <summary>The same table as a unit would submit it: text cells, some with units and odd spaces.</summary>
    public static SubmissionDocument Document(int seed) => new()
    {
        FormatId = Form.Id,
        Year = 2019,
        UnitName = "基准测试单位",
        Raw = Values(seed).ToDictionary(
            v => v.Key,
            v => v.Key == "s2_9.central_procurement.total_amount"
                ? v.Value.ToString(CultureInfo.InvariantCulture) + "万元"
                : "\u3000" + v.Value.ToString(CultureInfo.InvariantCulture)),
    };
}
