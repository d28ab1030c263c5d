using Aggregator.Core.Forms;
using Aggregator.Reporting.Model;
using Aggregator.Reporting.Rendering;
using Aggregator.Reporting.Tests.Support;
using Scriban.Runtime;

namespace Aggregator.Reporting.Tests;

/// <summary>The template model: formatting, computed figures and the safety of what templates see.</summary>
public sealed class ReportModelTests
{
    private static ReportInput Input(params (string CellId, decimal Value)[] values) => new()
    {
        FormatId = "fmt_2019",
        Year = 2019,
        UnitName = "测试区",
        GeneratedAt = ReportInputs.GeneratedAt,
        Edition = ReportEdition.Internal,
        Values = values.ToDictionary(v => v.CellId, v => (decimal?)v.Value),
    };

    [Theory]
    [InlineData("s2_9.central_procurement.total_amount", "244.19", "244.19万元")]
    [InlineData("s2_9.central_procurement.total_amount", "25.1", "25.1万元")]
    [InlineData("s2_9.central_procurement.total_amount", "0.125", "0.125万元")]
    [InlineData("s2_9.central_procurement.total_amount", "0.00045", "0.00045万元")]
    [InlineData("s2_9.central_procurement.total_amount", "24252.311082", "24252.311082万元")]
    [InlineData("s2_9.central_procurement.total_amount", "7380.289590", "7380.28959万元")]
    [InlineData("s2_9.central_procurement.total_amount", "7390", "7390万元")]
    [InlineData("s2_5.license.change", "441", "+441")]
    [InlineData("s2_5.license.change", "-3", "-3")]
    [InlineData("s2_5.license.change", "0", "0")]
    [InlineData("s3.r3_7_total.total", "144666", "144666")]
    public void Formats_money_signed_changes_and_counts_as_printed(string cellId, string value, string expected)
    {
        var model = ReportModelBuilder.Default.Build(Input((cellId, decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Equal(expected, model.Values[cellId]);
    }

    [Fact]
    public void A_blank_cell_of_the_consolidated_table_reads_zero()
    {
        var model = ReportModelBuilder.Default.Build(Input());
        Assert.Equal("0", model.Values["s3.r1_new.total"]);
        Assert.True(model.Tables["s3"].RowsById["r1_new"].CellsByColumn["total"].IsBlank);
    }

    [Fact]
    public void The_money_of_fmt_2021_is_printed_without_the_unit_its_header_already_prints()
    {
        var model = ReportModelBuilder.Default.Build(Input(("s2_8.admin_fee.amount", 24252.311082m)) with { FormatId = "fmt_2021", Year = 2021 });
        Assert.Equal("24252.311082", model.Values["s2_8.admin_fee.amount"]);
    }

    [Fact]
    public void Leaves_out_the_share_when_no_application_was_handled()
    {
        var model = ReportModelBuilder.Default.Build(Input());
        Assert.Null(model.Overview.GrantedAndPartialShare);
        Assert.DoesNotContain(model.Overview.Paragraphs, p => p.Contains('%', StringComparison.Ordinal));
    }

    [Fact]
    public void Rounds_shares_to_one_decimal()
    {
        // 258 of 761 handled is 33.902…%; 2 of 3 is 66.666…%.
        var model = ReportModelBuilder.Default.Build(Input(("s3.r3_1_granted.total", 250), ("s3.r3_2_partial.total", 8), ("s3.r3_7_total.total", 761)));
        Assert.Equal("33.9%", model.Overview.GrantedAndPartialShare);
        var twoThirds = ReportModelBuilder.Default.Build(Input(("s3.r3_1_granted.total", 2), ("s3.r3_7_total.total", 3)));
        Assert.Equal("66.7%", twoThirds.Overview.GrantedAndPartialShare);
    }

    [Fact]
    public void Counts_each_kind_of_result_including_its_reasons()
    {
        var model = ReportModelBuilder.Default.Build(Input(
            ("s3.r3_1_granted.total", 5),
            ("s3.r3_3_1.total", 1),
            ("s3.r3_3_8.total", 2),
            ("s3.r3_4_2.total", 3),
            ("s3.r3_5_5.total", 4),
            ("s3.r3_6_other.total", 5),
            ("s3.r3_7_total.total", 20)));
        Assert.Equal(
            [("予以公开", 5m, "25.0%"), ("部分公开", 0m, "0.0%"), ("不予公开", 3m, "15.0%"), ("无法提供", 3m, "15.0%"), ("不予处理", 4m, "20.0%"), ("其他处理", 5m, "25.0%")],
            model.Overview.Outcomes.Select(o => (o.Label, o.Count, o.Share)));
    }

    [Fact]
    public void The_per_unit_breakdown_flags_a_cell_whose_units_do_not_add_up_to_the_consolidated_value()
    {
        var input = Input(("s3.r1_new.total", 5)) with
        {
            IncludedUnits =
            [
                new IncludedUnit("1", "甲单位", 1, new Dictionary<string, decimal?> { ["s3.r1_new.total"] = 2 }),
                new IncludedUnit("2", "乙单位", 1, new Dictionary<string, decimal?> { ["s3.r1_new.total"] = 2 }),
            ],
        };
        var breakdown = ReportModelBuilder.Default.Build(input).Breakdown;
        Assert.False(breakdown.Balanced);
        var source = Assert.Single(breakdown.Sources);
        Assert.False(source.Balanced);
        Assert.Equal(("5", "4"), (source.Total, source.SumOfUnits));
        Assert.Equal(["甲单位", "乙单位"], source.Contributions.Select(c => c.Name));

        var html = HtmlReport.Parse(ReportRenderer.CreateDefault().Render(input, ReportOutputFormat.Html));
        Assert.Contains("不一致：各单位之和为4", html.Table("breakdown-sources").Body[0][2].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Lays_out_table_three_with_the_group_labels_spanning_their_rows()
    {
        var s3 = ReportModelBuilder.Default.Build(Input()).Tables["s3"];
        Assert.Equal("grid", s3.Layout);
        Assert.Equal(3 + 7, s3.ColumnCount);
        var corner = s3.HeaderRows[0][0];
        Assert.Equal((3, 3, "corner"), (corner.RowSpan, corner.ColSpan, corner.Role));

        var first = s3.BodyRows.Single(r => r.RowId == "r3_3_1");
        Assert.Equal(["（三）不予公开"], first.LabelCells.Where(c => c.Role == "group").Select(c => c.Text));
        Assert.Equal(8, first.LabelCells.Single(c => c.Role == "group").RowSpan);
        var granted = s3.BodyRows.Single(r => r.RowId == "r3_1_granted");
        var results = granted.LabelCells.Single(c => c.Role == "group");
        Assert.Equal("三、本年度办理结果", results.Text);
        Assert.Equal(s3.BodyRows.Count - 3, results.RowSpan);
        Assert.Equal(2, granted.LabelCells.Single(c => c.Role == "row").ColSpan);
        Assert.All(s3.BodyRows, r => Assert.Equal(3, r.LabelCells.Where(c => c.Role == "row").Sum(c => c.ColSpan) + CountGroupColumns(s3, r)));
    }

    [Fact]
    public void Lays_out_table_four_as_one_row_under_nested_headers()
    {
        var s4 = ReportModelBuilder.Default.Build(Input()).Tables["s4"];
        Assert.Equal("transposed", s4.Layout);
        Assert.Equal(15, Assert.Single(s4.BodyRows).Cells.Count);
        Assert.Equal([("行政复议", 5), ("行政诉讼", 10)], s4.HeaderRows[0].Select(c => (c.Text, c.ColSpan)));
        Assert.Equal([("结果维持", 2), ("结果纠正", 2), ("其他结果", 2), ("尚未审结", 2), ("总计", 2), ("未经复议直接起诉", 1), ("复议后起诉", 1)],
            s4.HeaderRows[1].Select(c => (c.Text, c.RowSpan)));
        Assert.Equal(10, s4.HeaderRows[2].Count);
    }

    [Fact]
    public void Every_national_format_gives_every_section_its_tables()
    {
        foreach (var form in FormCatalog.Default.Forms)
        {
            var model = ReportModelBuilder.Default.Build(Input() with { FormatId = form.Id, Year = form.ValidYears.From ?? 2018 });
            Assert.Equal(form.Tables.Select(t => t.Id), model.TableList.Select(t => t.Id));
            Assert.Equal(form.Tables.Count(t => form.Sections.Contains(t.Title.Split(" / ")[0])), model.Sections.Sum(s => s.Tables.Count));
        }
    }

    [Fact]
    public void Templates_see_only_script_objects_arrays_strings_and_numbers()
    {
        var model = ReportModelBuilder.Default.Build(ReportInputs.District("fmt_2019", 2019, 3, 1, 1));
        var script = ScriptModelConverter.Convert(model, OutputEscaping.Html);
        var seen = 0;
        Visit(script);
        Assert.True(seen > 1000, $"only {seen} values visited");

        void Visit(object? value)
        {
            seen++;
            switch (value)
            {
                case ScriptObject obj:
                    foreach (var item in obj.Values)
                    {
                        Visit(item);
                    }

                    break;
                case ScriptArray array:
                    foreach (var item in array)
                    {
                        Visit(item);
                    }

                    break;
                case null or string or bool or int or long or decimal:
                    break;
                default:
                    Assert.Fail($"a {value.GetType()} is reachable from the template model");
                    break;
            }
        }
    }

    [Fact]
    public void Names_model_members_in_snake_case()
    {
        Assert.Equal("rows_by_id", ScriptModelConverter.SnakeCase("RowsById"));
        Assert.Equal("granted_and_partial_share", ScriptModelConverter.SnakeCase("GrantedAndPartialShare"));
    }

    private static int CountGroupColumns(TableModel table, GridRow row)
    {
        var rowsById = table.RowsById;
        var groups = 0;
        for (var parent = rowsById[row.RowId].ParentId; parent is not null; parent = rowsById[parent].ParentId)
        {
            groups += rowsById[parent].HasCells ? 0 : 1;
        }

        return groups;
    }
}
