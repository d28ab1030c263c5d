using System.Text.Json;
using Aggregator.Core.Forms;
using Aggregator.Core.Tests.Support;

namespace Aggregator.Core.Tests.Forms;

/// <summary>The embedded form files hold exactly the structure of the shared forms.json.</summary>
public sealed class EmbeddedFormsTests
{
    public static TheoryData<string> FormatIds => new("stat_pre2019", "fmt_2019", "fmt_2021");

    [Fact]
    public void Embeds_exactly_the_formats_of_forms_json()
    {
        var expected = Reference().Select(f => f.GetProperty("id").GetString()!).Order(StringComparer.Ordinal);

        Assert.Equal(expected, FormCatalog.Default.Forms.Select(f => f.Id).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(FormatIds))]
    public void Has_the_title_sections_and_years_of_forms_json(string formatId)
    {
        var reference = ReferenceFormat(formatId);
        var form = FormCatalog.Default.Get(formatId);

        Assert.Equal(reference.GetProperty("title").GetString(), form.Title);
        Assert.Equal(Strings(reference, "sections"), form.Sections);
        Assert.Equal(IntOrNull(reference.GetProperty("valid_years").GetProperty("from")), form.ValidYears.From);
        Assert.Equal(IntOrNull(reference.GetProperty("valid_years").GetProperty("to")), form.ValidYears.To);
    }

    [Theory]
    [MemberData(nameof(FormatIds))]
    public void Has_every_table_row_and_column_with_its_printed_label(string formatId)
    {
        var form = FormCatalog.Default.Get(formatId);
        var referenceTables = ReferenceFormat(formatId).GetProperty("tables").EnumerateArray().ToList();

        Assert.Equal(referenceTables.Select(t => t.GetProperty("id").GetString()), form.Tables.Select(t => t.Id));
        foreach (var reference in referenceTables)
        {
            Assert.True(form.TryGetTable(reference.GetProperty("id").GetString()!, out var table));
            Assert.Equal(reference.GetProperty("title").GetString(), table.Title);
            Assert.Equal(Labels(reference, "rows"), table.Rows.Select(r => (r.Id, r.Label)));
            Assert.Equal(Labels(reference, "columns"), table.Columns.Select(c => (c.Id, c.Label)));
            var printedNote = reference.TryGetProperty("note_printed", out var note) ? note.GetString() : null;
            Assert.Equal(printedNote, table.PrintedNote);
        }
    }

    [Theory]
    [MemberData(nameof(FormatIds))]
    public void Has_a_cell_for_every_row_and_column_that_carry_numbers_in_printed_order(string formatId)
    {
        var form = FormCatalog.Default.Get(formatId);
        var expected = new List<string>();
        foreach (var table in ReferenceFormat(formatId).GetProperty("tables").EnumerateArray())
        {
            var tableId = table.GetProperty("id").GetString();
            // The old form's —— headings have no value column of their own, yet a unit may fill them: they are cells.
            var oldForm = formatId == "stat_pre2019";
            var rows = table.GetProperty("rows").EnumerateArray().Where(r => oldForm || HasCells(r));
            var columns = table.GetProperty("columns").EnumerateArray().Where(HasCells).ToList();
            expected.AddRange(rows.SelectMany(r => columns.Select(c => $"{tableId}.{r.GetProperty("id").GetString()}.{c.GetProperty("id").GetString()}")));
        }

        Assert.Equal(expected, form.Cells.Select(c => c.Id));
        Assert.Equal(Enumerable.Range(0, form.Cells.Count), form.Cells.Select(c => c.Index));
    }

    [Theory]
    [MemberData(nameof(FormatIds))]
    public void Has_every_rule_of_forms_json_with_its_severity_and_official_flag(string formatId)
    {
        var expected = ReferenceFormat(formatId).GetProperty("rules").EnumerateArray()
            .Select(r => (r.GetProperty("id").GetString(), r.GetProperty("severity").GetString(), r.GetProperty("official").GetBoolean()));

        var actual = FormCatalog.Default.Get(formatId).Rules
            .Select(r => ((string?)r.Id, (string?)(r.Severity == Aggregator.Core.Rules.Severity.Error ? "error" : "warning"), r.Official));

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Marks_the_old_form_headings_and_keeps_their_printed_unit()
    {
        var form = FormCatalog.Default.Get("stat_pre2019");
        var headings = form.Cells.Where(c => c.IsHeading).Select(c => c.RowId);

        Assert.Equal(["s1", "s1_2", "s2", "s2_2", "s3", "s7", "s8"], headings);
        Assert.All(form.Cells.Where(c => c.IsHeading), c => Assert.Equal("——", c.Unit));
    }

    [Theory]
    [InlineData("stat_pre2019", "stat.s7_4.value", "万元", true)]
    [InlineData("fmt_2019", "s2_9.central_procurement.total_amount", "万元", false)]
    [InlineData("fmt_2021", "s2_8.admin_fee.amount", "万元", true)]
    public void Holds_money_cells_in_ten_thousand_yuan_and_knows_whether_the_unit_is_printed(string formatId, string cellId, string unit, bool printed)
    {
        var cell = FormCatalog.Default.Get(formatId).GetCell(cellId);

        Assert.Equal(Aggregator.Core.Forms.CellType.Decimal, cell.Type);
        Assert.Equal(unit, cell.Unit);
        Assert.Equal(printed, cell.UnitPrinted);
    }

    [Theory]
    [InlineData("fmt_2019", "s2_5.license.change", Aggregator.Core.Forms.CellType.SignedInteger, "项")]
    [InlineData("fmt_2019", "s2_5.license.decisions", Aggregator.Core.Forms.CellType.Integer, "件")]
    [InlineData("fmt_2019", "s2_9.central_procurement.projects", Aggregator.Core.Forms.CellType.Integer, "个")]
    [InlineData("stat_pre2019", "stat.s8_3.value", Aggregator.Core.Forms.CellType.Integer, "人次")]
    public void Takes_each_cell_type_and_unit_from_forms_json(string formatId, string cellId, Aggregator.Core.Forms.CellType type, string unit)
    {
        var cell = FormCatalog.Default.Get(formatId).GetCell(cellId);

        Assert.Equal(type, cell.Type);
        Assert.Equal(unit, cell.Unit);
    }

    [Fact]
    public void Labels_a_cell_by_its_printed_group_row_and_column()
    {
        var cell = FormCatalog.Default.Get("fmt_2019").GetCell("s3.r3_3_1.commercial");

        Assert.Equal("1.属于国家秘密", cell.RowLabel);
        Assert.Equal("商业企业", cell.ColumnLabel);
        Assert.Contains("（三）不予公开", cell.Label, StringComparison.Ordinal);
        Assert.Contains("1.属于国家秘密", cell.Label, StringComparison.Ordinal);
        Assert.Contains("法人或其他组织", cell.Label, StringComparison.Ordinal);
        Assert.Contains("商业企业", cell.Label, StringComparison.Ordinal);
    }

    private static bool HasCells(JsonElement element) =>
        !element.TryGetProperty("has_cells", out var hasCells) || hasCells.GetBoolean();

    private static int? IntOrNull(JsonElement element) => element.ValueKind == JsonValueKind.Null ? null : element.GetInt32();

    private static List<string> Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var array) ? [.. array.EnumerateArray().Select(e => e.GetString()!)] : [];

    private static List<(string, string)> Labels(JsonElement table, string name) =>
        [.. table.GetProperty(name).EnumerateArray().Select(e => (e.GetProperty("id").GetString()!, e.GetProperty("label").GetString()!))];

    private static JsonElement ReferenceFormat(string formatId) =>
        Reference().Single(f => f.GetProperty("id").GetString() == formatId);

    private static List<JsonElement> Reference()
    {
        using var document = JsonDocument.Parse(DomainDirectory.Read("forms.json"));
        return [.. document.RootElement.GetProperty("formats").EnumerateArray().Select(f => f.Clone())];
    }
}
