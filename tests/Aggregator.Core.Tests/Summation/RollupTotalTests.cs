using Aggregator.Core.Forms;
using Aggregator.Core.Summation;
using Aggregator.Core.Tests.Support;
using Aggregator.Core.Values;
using CsCheck;

namespace Aggregator.Core.Tests.Summation;

/// <summary>The streamed total must be the in-memory sum to the last digit, whatever order the cells come in.</summary>
public sealed class RollupTotalTests
{
    [Theory]
    [InlineData("fmt_2019")]
    [InlineData("fmt_2021")]
    [InlineData("stat_pre2019")]
    public void Cells_added_one_at_a_time_in_any_order_give_the_calculators_total(string formId)
    {
        var form = FormCatalog.Default.Get(formId);
        Gen.Select(ValidTables.For(form).List[1, 30], Gen.Int).Sample((tables, seed) =>
        {
            var expected = RollupCalculator.Sum(form, tables.Select((table, i) => new RollupInput($"U{i}", table))).Total;
            var cells = tables.SelectMany(table => form.Cells.Select(cell => (cell.Id, Value: table.GetValue(cell.Index)))).ToArray();
            new Random(seed).Shuffle(cells);
            var total = new RollupTotal(form);
            foreach (var (cellId, value) in cells)
            {
                total.Add(cellId, value);
            }

            var actual = total.ToTable();
            return form.Cells.All(cell => actual.GetValue(cell.Index) == expected.GetValue(cell.Index));
        });
    }

    [Fact]
    public void A_partial_sum_per_cell_counts_as_the_values_it_sums()
    {
        var form = FormCatalog.Default.Get("fmt_2019");
        var total = new RollupTotal(form);

        total.Add("s4.review.upheld", 2.000001m);
        total.Add("s4.review.upheld", 40m);
        total.Add("s4.review.other", null);
        total.Add("s4.review.pending", 0m);
        var table = total.ToTable();

        Assert.Equal(42.000001m, table.GetValue("s4.review.upheld"));
        Assert.Null(table.GetValue("s4.review.other"));
        Assert.Equal(0m, table.GetValue("s4.review.pending"));
    }

    [Fact]
    public void A_sum_past_what_a_cell_holds_overflows_and_an_unknown_cell_is_refused()
    {
        var form = FormCatalog.Default.Get("fmt_2019");
        var total = new RollupTotal(form);
        total.Add("s4.review.upheld", 4_600_000_000_000m);
        total.Add("s4.review.upheld", 4_600_000_000_000m);

        Assert.Throws<OverflowException>(() => total.ToTable());
        Assert.Throws<OverflowException>(() => total.Add("s4.review.upheld", 4_600_000_000_000m));
        Assert.Throws<ArgumentException>(() => total.Add("no.such.cell", 1m));
        Assert.Throws<ArgumentException>(() => total.Add("s4.review.upheld", 0.0000001m));
    }
}
