using Aggregator.Core.Forms;
using Aggregator.Core.Rules;
using Aggregator.Core.Summation;
using Aggregator.Core.Tests.Support;
using Aggregator.Core.Values;

namespace Aggregator.Core.Tests.Summation;

public sealed class RollupCalculatorTests
{
    private static FormDefinition Fmt2019 => FormCatalog.Default.Get("fmt_2019");

    [Fact]
    public void Sums_cell_by_cell_counting_blank_as_zero()
    {
        var a = Table(Fmt2019, ("s4.review.upheld", 1m), ("s4.review.total", 1m));
        var b = Table(Fmt2019, ("s4.review.upheld", 2m), ("s4.review.pending", 3m), ("s4.review.total", 5m));

        var rollup = RollupCalculator.Sum(Fmt2019, [new("A#1", a), new("B#2", b)]);

        Assert.Equal(3m, rollup.Total.GetValue("s4.review.upheld"));
        Assert.Equal(3m, rollup.Total.GetValue("s4.review.pending"));
        Assert.Equal(6m, rollup.Total.GetValue("s4.review.total"));
        Assert.Empty(RuleEvaluator.Evaluate(rollup.Total));
    }

    [Fact]
    public void Leaves_blank_a_cell_that_every_unit_left_blank_but_keeps_an_explicit_zero()
    {
        var a = Table(Fmt2019, ("s4.review.other", 0m));
        var b = Table(Fmt2019);

        var total = RollupCalculator.Sum(Fmt2019, [new("A", a), new("B", b)]).Total;

        Assert.Null(total.GetValue("s4.review.corrected"));
        Assert.Equal(0m, total.GetValue("s4.review.other"));
    }

    [Fact]
    public void Never_sums_the_old_forms_headings()
    {
        var form = FormCatalog.Default.Get("stat_pre2019");
        var a = Table(form, ("stat.s1.value", 37m), ("stat.s1_1.value", 27m));
        var b = Table(form, ("stat.s1.value", 5m), ("stat.s1_1.value", 3m));

        var rollup = RollupCalculator.Sum(form, [new("A", a), new("B", b)]);

        Assert.Null(rollup.Total.GetValue("stat.s1.value"));
        Assert.Empty(rollup.ContributionsTo("stat.s1.value"));
        Assert.Equal(30m, rollup.Total.GetValue("stat.s1_1.value"));
    }

    [Fact]
    public void Sums_money_already_normalised_to_ten_thousand_yuan()
    {
        var shanghai = Normalize(Seeds.Shanghai2019);
        var dongtou = Normalize(Seeds.Seed002);

        var rollup = RollupCalculator.Sum(Fmt2019, [new("shanghai", shanghai), new("dongtou", dongtou)]);

        Assert.Equal(25.1m + 244.19m, rollup.Total.GetValue("s2_9.central_procurement.total_amount"));
        Assert.Equal(
            [new CellContribution("shanghai", 25.1m, "251000元"), new CellContribution("dongtou", 244.19m, "244.19万元")],
            rollup.ContributionsTo("s2_9.central_procurement.total_amount"));
    }

    [Fact]
    public void Records_which_unit_contributed_what_to_each_cell()
    {
        var a = Table(Fmt2019, ("s3.r1_new.natural_person", 4m));
        var b = Table(Fmt2019, ("s3.r1_new.commercial", 1m));
        var c = Table(Fmt2019, ("s3.r1_new.natural_person", 0m));

        var rollup = RollupCalculator.Sum(Fmt2019, [new("A", a), new("B", b), new("C", c)]);

        Assert.Equal(["A", "C"], rollup.ContributionsTo("s3.r1_new.natural_person").Select(x => x.Key));
        Assert.Equal([4m, 0m], rollup.ContributionsTo("s3.r1_new.natural_person").Select(x => x.Value));
        Assert.Equal(3, rollup.Inputs.Count);
    }

    [Fact]
    public void Refuses_to_mix_formats()
    {
        var old = Table(FormCatalog.Default.Get("fmt_2021"));

        var ex = Assert.Throws<ArgumentException>(() => RollupCalculator.Sum(Fmt2019, [new("A", Table(Fmt2019)), new("B", old)]));

        Assert.Contains("fmt_2021", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_two_inputs_with_the_same_key()
    {
        Assert.Throws<ArgumentException>(() => RollupCalculator.Sum(Fmt2019, [new("A", Table(Fmt2019)), new("A", Table(Fmt2019))]));
    }

    [Fact]
    public void Sums_nothing_into_a_blank_table()
    {
        var rollup = RollupCalculator.Sum(Fmt2019, []);

        Assert.Empty(rollup.Total.FilledCells);
    }

    private static NormalizedTable Normalize(string seed) =>
        SubmissionValidator.Default.Validate(SubmissionDocument.Parse(DomainDirectory.Read(seed))).Table;

    private static NormalizedTable Table(FormDefinition form, params (string Cell, decimal Value)[] values) =>
        NormalizedTable.FromValues(form, values.Select(v => new KeyValuePair<string, decimal?>(v.Cell, v.Value)));
}
