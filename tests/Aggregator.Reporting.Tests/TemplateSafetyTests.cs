using Aggregator.Reporting.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Reporting.Tests;

/// <summary>Templates written by the district office run inside limits and see only the template folder.</summary>
public sealed class TemplateSafetyTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TemporaryFolder _folder = new();

    private string Templates => _folder.Combine("templates");

    public TemplateSafetyTests() => Directory.CreateDirectory(Path.Combine(Templates, "html", "partials"));

    public void Dispose() => _folder.Dispose();

    private ReportRenderer Renderer(ReportingOptions? options = null)
    {
        var settings = options ?? new ReportingOptions();
        settings.TemplateDirectory = Templates;
        return new ReportRenderer(settings, Aggregator.Core.Forms.FormCatalog.Default);
    }

    private void Override(string name, string text) => File.WriteAllText(Path.Combine(Templates, name), text);

    private static ReportInput Input => ReportInputs.District("fmt_2019", 2019, 3);

    private async Task<ReportTemplateException> RenderFailsAsync(ReportRenderer renderer)
    {
        var rendering = Task.Run(() => renderer.Render(Input, ReportOutputFormat.Html), TestContext.Current.CancellationToken);
        return await Assert.ThrowsAsync<ReportTemplateException>(() => rendering.WaitAsync(Patience, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_endless_loop_stops_at_the_loop_limit()
    {
        Override("html/fmt_2019.sbn-html", "start\n{{ while true }}x{{ end }}");
        var error = await RenderFailsAsync(Renderer());
        Assert.Contains("iteration limit", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public async Task Endless_recursion_stops_at_the_recursion_limit()
    {
        Override("html/fmt_2019.sbn-html", "{{ func deeper(n)\n ret deeper(n + 1)\nend }}{{ deeper 0 }}");
        var error = await RenderFailsAsync(Renderer());
        Assert.Contains("recursive depth limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_template_including_itself_stops_at_the_recursion_limit()
    {
        Override("html/fmt_2019.sbn-html", "{{ include \"html/fmt_2019.sbn-html\" }}");
        var error = await RenderFailsAsync(Renderer());
        Assert.Contains("recursive depth limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_huge_output_stops_at_the_output_limit()
    {
        Override("html/fmt_2019.sbn-html", "{{ for i in 1..100000 }}{{ report.title }}{{ end }}");
        var error = await RenderFailsAsync(Renderer(new ReportingOptions { OutputLimit = 100_000 }));
        Assert.Contains("limit", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("../secret.txt")]
    [InlineData("html/../../secret.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("..\\secret.txt")]
    [InlineData("C:/secret.txt")]
    public async Task An_include_outside_the_template_folder_is_refused(string name)
    {
        await File.WriteAllTextAsync(_folder.Combine("secret.txt"), "SECRET-CONTENT", TestContext.Current.CancellationToken);
        Override("html/fmt_2019.sbn-html", $"ok\n{{{{ include \"{name.Replace("\\", "\\\\", StringComparison.Ordinal)}\" }}}}");
        var error = await RenderFailsAsync(Renderer());
        Assert.Contains("refused", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
        Assert.DoesNotContain("SECRET-CONTENT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_in_the_template_folder_that_leads_outside_is_not_followed()
    {
        File.WriteAllText(_folder.Combine("secret.txt"), "SECRET-CONTENT");
        try
        {
            File.CreateSymbolicLink(Path.Combine(Templates, "html", "partials", "style.sbn-html"), _folder.Combine("secret.txt"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Assert.Skip($"Symbolic links cannot be created here: {ex.Message}");
        }

        var html = Renderer().Render(Input, ReportOutputFormat.Html);
        Assert.DoesNotContain("SECRET-CONTENT", html, StringComparison.Ordinal);
        Assert.Contains("@page", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_in_the_override_folder_replaces_the_embedded_one()
    {
        Override("html/fmt_2019.sbn-html", "<p>自定义：{{ report.title }}</p>");
        var renderer = Renderer();
        Assert.Equal("<p>自定义：温州市洞头区2019年度政府信息公开工作年度报告</p>", renderer.Render(Input, ReportOutputFormat.Html));
        Assert.Contains(renderer.SupportedReports, s => s.FormatId == "fmt_2019" && s.Output == ReportOutputFormat.Html && s.IsOverride);
        Assert.StartsWith("# ", renderer.Render(Input, ReportOutputFormat.Markdown), StringComparison.Ordinal);
    }

    [Fact]
    public void An_overridden_partial_is_used_by_the_embedded_main_template()
    {
        Override("html/partials/paragraphs.sbn-html", "<p class=\"placeholder\">（待补充：{{ report.unit_name }}）</p>");
        var report = HtmlReport.Parse(Renderer().Render(Input, ReportOutputFormat.Html));
        Assert.Equal("（待补充：温州市洞头区）", Assert.Single(report.Paragraphs("section-problems")).Value);
        Assert.NotEmpty(report.Table("table-s3").Body);
    }

    [Fact]
    public void An_edited_override_is_picked_up_and_an_unchanged_one_is_not_parsed_again()
    {
        Override("html/fmt_2019.sbn-html", "one");
        var renderer = Renderer();
        Assert.Equal("one", renderer.Render(Input, ReportOutputFormat.Html));
        var library = new Rendering.TemplateLibrary(Templates);
        var first = library.Get("html/fmt_2019.sbn-html");
        Assert.Same(first.Template, library.Get("html/fmt_2019.sbn-html").Template);

        Override("html/fmt_2019.sbn-html", "two, edited");
        File.SetLastWriteTimeUtc(Path.Combine(Templates, "html/fmt_2019.sbn-html"), DateTime.UtcNow.AddMinutes(1));
        Assert.Equal("two, edited", renderer.Render(Input, ReportOutputFormat.Html));
        Assert.NotSame(first.Template, library.Get("html/fmt_2019.sbn-html").Template);
    }

    [Fact]
    public void Embedded_templates_are_parsed_once()
    {
        var library = new Rendering.TemplateLibrary(null);
        Assert.Same(library.Get("html/partials/table.sbn-html").Template, library.Get("html/partials/table.sbn-html").Template);
    }

    [Fact]
    public void A_runtime_error_names_the_template_file_and_line()
    {
        Override("html/fmt_2019.sbn-html", "第一行\n第二行\n{{ report.title }}{{ no_such_variable }}");
        var error = Assert.Throws<ReportTemplateException>(() => Renderer().Render(Input, ReportOutputFormat.Html));
        Assert.Equal(3, error.Line);
        Assert.EndsWith(Path.Combine("html", "fmt_2019.sbn-html"), error.TemplatePath, StringComparison.Ordinal);
        Assert.Contains("no_such_variable", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_common_template_fails_the_Word_report_too_naming_its_file_and_line()
    {
        Directory.CreateDirectory(Path.Combine(Templates, "common"));
        Override("common/opening.sbn", "本年度报告\n{{ no_such_variable }}");
        var error = Assert.Throws<ReportTemplateException>(() => Renderer().RenderFile(Input, ReportOutputFormat.Docx));
        Assert.EndsWith(Path.Combine("common", "opening.sbn"), error.TemplatePath, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void An_office_can_reword_the_opening_of_every_output_in_one_template()
    {
        Directory.CreateDirectory(Path.Combine(Templates, "common"));
        Override("common/opening.sbn", "本报告由{{ report.signed_by }}编制。");
        var renderer = Renderer();
        Assert.Contains("本报告由区政府办公室编制。", renderer.Render(Input, ReportOutputFormat.Html), StringComparison.Ordinal);
        Assert.Contains("本报告由区政府办公室编制。", renderer.Render(Input, ReportOutputFormat.Markdown), StringComparison.Ordinal);
        Assert.Contains("本报告由区政府办公室编制。", WordReport.Read(renderer.RenderFile(Input, ReportOutputFormat.Docx)).Paragraphs);
    }

    [Fact]
    public void A_syntax_error_in_an_included_partial_names_the_partial_and_its_line()
    {
        Override("html/partials/paragraphs.sbn-html", "ok\n{{ for x in }}\n{{ end }}");
        var error = Assert.Throws<ReportTemplateException>(() => Renderer().Render(Input, ReportOutputFormat.Html));
        Assert.EndsWith(Path.Combine("partials", "paragraphs.sbn-html"), error.TemplatePath, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Templates_reach_no_dotnet_object_behind_the_model()
    {
        Override("html/fmt_2019.sbn-html", "{{ object.typeof report }}|{{ object.typeof report.tables.s3 }}|{{ report.title.GetType }}|{{ report.overview.granted_and_partial | object.typeof }}");
        Assert.Equal("object|object||number", Renderer().Render(Input, ReportOutputFormat.Html));
    }

    [Fact]
    public void A_missing_template_folder_is_a_configuration_error()
    {
        Assert.Throws<DirectoryNotFoundException>(() =>
            new ReportRenderer(new ReportingOptions { TemplateDirectory = _folder.Combine("absent") }, Aggregator.Core.Forms.FormCatalog.Default));
    }

    [Fact]
    public void The_service_registration_binds_the_template_folder_from_configuration()
    {
        Override("html/fmt_2019.sbn-html", "来自配置的模板");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Reporting:TemplateDirectory"] = Templates, ["Reporting:LoopLimit"] = "1234" })
            .Build();
        using var services = new ServiceCollection().AddAggregatorReporting(configuration).BuildServiceProvider();
        var renderer = services.GetRequiredService<ReportRenderer>();
        Assert.Same(renderer, services.GetRequiredService<ReportRenderer>());
        Assert.Equal("来自配置的模板", renderer.Render(Input, ReportOutputFormat.Html));
        Assert.Equal(1234, services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ReportingOptions>>().Value.LoopLimit);
    }
}
