using Aggregator.Core.Forms;
using Aggregator.Core.Tests.Support;

namespace Aggregator.Core.Tests.Forms;

public sealed class FormCatalogTests
{
    [Theory]
    [InlineData(2007, "stat_pre2019")]
    [InlineData(2018, "stat_pre2019")]
    [InlineData(2019, "fmt_2019")]
    [InlineData(2020, "fmt_2019")]
    [InlineData(2021, "fmt_2021")]
    [InlineData(2030, "fmt_2021")]
    public void Chooses_the_format_used_for_a_report_year(int year, string formatId)
    {
        Assert.Equal(formatId, FormCatalog.Default.ForYear(year).Id);
    }

    [Fact]
    public void Does_not_know_an_unknown_format()
    {
        Assert.False(FormCatalog.Default.TryGet("fmt_1999", out _));
    }

    [Fact]
    public void Adds_a_new_years_format_from_a_file_in_a_folder()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(Path.Combine(folder.Path, "fmt_2025.json"), FormFiles.Minimal("fmt_2025", from: 2025));

        var catalog = FormCatalog.Load(folder.Path);

        Assert.Equal("fmt_2025", catalog.ForYear(2025).Id);
        Assert.Equal("fmt_2021", catalog.ForYear(2024).Id);
        Assert.True(catalog.TryGet("fmt_2019", out _));
    }

    [Fact]
    public void Replaces_an_embedded_format_with_a_file_of_the_same_id()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(Path.Combine(folder.Path, "override.json"), FormFiles.Minimal("fmt_2021", from: 2021));

        var catalog = FormCatalog.Load(folder.Path);

        Assert.Equal(2, catalog.Get("fmt_2021").Cells.Count);
    }

    [Fact]
    public void Refuses_a_form_file_whose_rule_names_an_unknown_cell()
    {
        var file = FormFiles.Minimal("broken", from: 2030, expression: "t.r.a == t.r.nope");

        var ex = Assert.Throws<FormDefinitionException>(() => FormCatalog.FromJson(file));

        Assert.Contains("unknown cell 't.r.nope'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_form_file_with_a_misspelt_key()
    {
        var file = FormFiles.Minimal("typo", from: 2030).Replace("\"severity\"", "\"severty\"", StringComparison.Ordinal);

        Assert.Throws<FormDefinitionException>(() => FormCatalog.FromJson(file));
    }

    [Fact]
    public void Refuses_a_message_with_an_unknown_placeholder()
    {
        var file = FormFiles.Minimal("bad_message", from: 2030, message: "{nonsense}");

        var ex = Assert.Throws<FormDefinitionException>(() => FormCatalog.FromJson(file));

        Assert.Contains("{nonsense}", ex.Message, StringComparison.Ordinal);
    }
}
