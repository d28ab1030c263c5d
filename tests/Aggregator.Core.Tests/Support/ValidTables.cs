using Aggregator.Core.Forms;
using Aggregator.Core.Values;
using CsCheck;

namespace Aggregator.Core.Tests.Support;

/// <summary>
/// Random tables that satisfy every rule of their format: leaves are drawn, totals are computed from them, and a
/// zero that is drawn "blank" is left blank (as units do).
/// </summary>
public static class ValidTables
{
    private const int Draws = 400;

    private static readonly string[] ApplicantColumns = ["natural_person", "commercial", "research", "public_interest", "legal_service", "other_org"];

    public static Gen<NormalizedTable> For(FormDefinition form) =>
        Gen.Select(Gen.Int[0, 30].Array[Draws], Gen.Bool.Array[Draws], (leaves, blanks) => Build(form, leaves, blanks));

    public static NormalizedTable Build(FormDefinition form, int[] leaves, bool[] blanks)
    {
        var draw = new Draw(leaves);
        var values = form.Id == "stat_pre2019" ? OldForm(draw) : NewForm(form, draw);
        var cellsInOrder = form.Cells.Where(c => values.ContainsKey(c.Id)).ToList();
        var entries = cellsInOrder.Select((cell, i) =>
            new KeyValuePair<string, decimal?>(cell.Id, values[cell.Id] == 0 && blanks[i % blanks.Length] ? null : values[cell.Id]));
        return NormalizedTable.FromValues(form, entries);
    }

    private static Dictionary<string, decimal> NewForm(FormDefinition form, Draw draw)
    {
        var values = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var cell in form.Cells.Where(c => c.TableId.StartsWith("s2_", StringComparison.Ordinal)))
        {
            values[cell.Id] = cell.Type switch
            {
                CellType.SignedInteger => draw.Next() - 15,
                CellType.Decimal => draw.Next() + (draw.Next() / 100m),
                _ => draw.Next(),
            };
        }

        foreach (var row in new[] { "regulation", "normative_doc" })
        {
            if (values.TryGetValue($"s2_1.{row}.new_published", out var published))
            {
                values[$"s2_1.{row}.total_published"] = published + draw.Next();
            }
        }

        var s3 = form.Tables.Single(t => t.Id == "s3");
        var resultRows = s3.Rows.SkipWhile(r => r.Id != "r3").Skip(1).TakeWhile(r => r.Id != "r3_7_total").Where(r => r.HasCells).ToList();
        foreach (var column in ApplicantColumns)
        {
            var results = 0m;
            foreach (var row in resultRows)
            {
                var value = draw.Next() % 4 == 0 ? draw.Next() : 0;
                values[$"s3.{row.Id}.{column}"] = value;
                results += value;
            }

            var carriedOut = draw.Next();
            var carriedIn = draw.Next() % (results + carriedOut + 1);
            values[$"s3.r3_7_total.{column}"] = results;
            values[$"s3.r4_carry_out.{column}"] = carriedOut;
            values[$"s3.r2_carried_in.{column}"] = carriedIn;
            values[$"s3.r1_new.{column}"] = results + carriedOut - carriedIn;
        }

        foreach (var row in s3.Rows.Where(r => r.HasCells))
        {
            values[$"s3.{row.Id}.total"] = ApplicantColumns.Sum(c => values[$"s3.{row.Id}.{c}"]);
        }

        foreach (var row in new[] { "review", "lit_direct", "lit_after_review" })
        {
            var parts = new[] { "upheld", "corrected", "other", "pending" };
            foreach (var part in parts)
            {
                values[$"s4.{row}.{part}"] = draw.Next();
            }

            values[$"s4.{row}.total"] = parts.Sum(p => values[$"s4.{row}.{p}"]);
        }

        return values;
    }

    private static Dictionary<string, decimal> OldForm(Draw draw)
    {
        var v = new Dictionary<string, decimal>(StringComparer.Ordinal);
        void Set(string row, decimal value) => v[$"stat.{row}.value"] = value;
        decimal Get(string row) => v[$"stat.{row}.value"];

        var published = draw.Next();
        Set("s1_1", published);
        Set("s1_1b", draw.Next());
        Set("s1_1a", draw.Next() % (Math.Min(published, Get("s1_1b")) + 1));
        var channels = new[] { "s1_2_1", "s1_2_2", "s1_2_3", "s1_2_4", "s1_2_5" };
        foreach (var channel in channels)
        {
            Set(channel, draw.Next() % (published + 1));
        }

        if (channels.Sum(Get) < published)
        {
            Set("s1_2_2", published);
        }

        foreach (var row in new[] { "s2_1", "s2_2_1", "s2_2_2", "s2_2_3", "s2_2_4", "s2_2_5", "s6", "s7_1", "s7_2", "s8_1", "s8_2", "s8_3" })
        {
            Set(row, draw.Next());
        }

        Set("s2_2_1a", draw.Next() % (Get("s2_2_1") + 1));
        Set("s2_2_2a", draw.Next() % (Get("s2_2_2") + 1));

        foreach (var reason in new[] { "s3_3_4a", "s3_3_4b", "s3_3_4c", "s3_3_4d", "s3_3_4e", "s3_3_4f" })
        {
            Set(reason, draw.Next() % 3);
        }

        Set("s3_3_4", new[] { "s3_3_4a", "s3_3_4b", "s3_3_4c", "s3_3_4d", "s3_3_4e", "s3_3_4f" }.Sum(Get));
        foreach (var item in new[] { "s3_3_1", "s3_3_2", "s3_3_3", "s3_3_5", "s3_3_6", "s3_3_7", "s3_3_8" })
        {
            Set(item, draw.Next());
        }

        var replies = Enumerable.Range(1, 8).Sum(i => Get($"s3_3_{i}"));
        Set("s3_3", replies);
        Set("s3_2", replies);
        Set("s3_1", replies);
        Split(replies, ["s3_2_1", "s3_2_2"]);
        Split(replies, ["s3_1_1", "s3_1_2", "s3_1_3", "s3_1_4"]);
        foreach (var (total, parts) in new[] { ("s4", new[] { "s4_1", "s4_2", "s4_3" }), ("s5", ["s5_1", "s5_2", "s5_3"]), ("s7_3", ["s7_3_1", "s7_3_2"]) })
        {
            foreach (var part in parts)
            {
                Set(part, draw.Next());
            }

            Set(total, parts.Sum(Get));
        }

        Set("s7_4", draw.Next() + (draw.Next() / 100m));
        return v;

        void Split(decimal total, string[] parts)
        {
            var left = total;
            for (var i = 0; i < parts.Length - 1; i++)
            {
                var share = draw.Next() % (left + 1);
                Set(parts[i], share);
                left -= share;
            }

            Set(parts[^1], left);
        }
    }

    private sealed class Draw(int[] leaves)
    {
        private int _next;

        public decimal Next() => leaves[_next++ % leaves.Length];
    }
}
