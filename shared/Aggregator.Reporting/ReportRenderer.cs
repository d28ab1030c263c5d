using System.Text.RegularExpressions;
using Aggregator.Core.Forms;
using Aggregator.Reporting.Model;
using Aggregator.Reporting.Office;
using Aggregator.Reporting.Rendering;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Aggregator.Reporting;

/// <summary>A format and output format that a template exists for.</summary>
/// <param name="TemplateName">The main template, relative to the template folder (html/fmt_2019.sbn-html).</param>
/// <param name="IsOverride">Whether the template comes from the override folder rather than the embedded defaults.</param>
public sealed record SupportedReport(string FormatId, ReportOutputFormat Output, string TemplateName, bool IsOverride);

/// <summary>Renders consolidated reports through the Scriban templates. Thread-safe; register it as a singleton.</summary>
public sealed partial class ReportRenderer
{
    private readonly ReportingOptions _options;
    private readonly FormCatalog _catalog;
    private readonly ReportModelBuilder _builder;
    private readonly TemplateLibrary _library;

    /// <exception cref="DirectoryNotFoundException">The configured template folder does not exist.</exception>
    public ReportRenderer(ReportingOptions options, FormCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(catalog);
        _options = options;
        _catalog = catalog;
        _builder = new ReportModelBuilder(catalog);
        _library = new TemplateLibrary(options.TemplateDirectory);
    }

    /// <summary>A renderer over the embedded templates and the national formats.</summary>
    public static ReportRenderer CreateDefault() => new(new ReportingOptions(), FormCatalog.Default);

    /// <summary>Every format of the catalog and output format for which a main template exists.</summary>
    public IReadOnlyList<SupportedReport> SupportedReports =>
        [.. from form in _catalog.Forms
            from output in ReportOutputFormats.All
            where output.IsTemplated()
            let name = TemplateName(form.Id, output)
            where _library.Exists(name)
            select new SupportedReport(form.Id, output, name, _library.IsOverride(name))];

    /// <summary>Whether a template exists for the format and output format.</summary>
    public bool Supports(string formatId, ReportOutputFormat output) =>
        _catalog.TryGet(formatId, out _) && (output.IsBinary() || _library.Exists(TemplateName(formatId, output)));

    /// <summary>Renders the consolidated report as the bytes of a file: UTF-8 for HTML and Markdown, the document
    /// itself for Word and Excel. Every format is built from the same report model.</summary>
    /// <exception cref="ArgumentException">As <see cref="Render"/>.</exception>
    /// <exception cref="NotSupportedException">No template exists for a templated format.</exception>
    /// <exception cref="ReportTemplateException">A template failed to parse or to render.</exception>
    public byte[] RenderFile(ReportInput input, ReportOutputFormat output)
    {
        switch (output)
        {
            case ReportOutputFormat.Docx:
                var model = _builder.Build(input);
                return DocxReportWriter.Write(model, PlainTexts(model));
            case ReportOutputFormat.Xlsx:
                return XlsxReportWriter.Write(_builder.Build(input));
            default:
                return System.Text.Encoding.UTF8.GetBytes(Render(input, output));
        }
    }

    /// <summary>The plain-text templates (common/*.sbn) the Word document prints, rendered for the model, by template name.
    /// The Word layout is written in code; its sentences come from the same templates as HTML and Markdown, so an office
    /// that rewords one rewords it in every output.</summary>
    private Dictionary<string, string> PlainTexts(ReportModel model)
    {
        var names = model.FormatId == "stat_pre2019"
            ? new[] { "common/opening-stat.sbn", "common/stat-proactive.sbn", "common/stat-applications.sbn", "common/stat-appeals.sbn" }
            : ["common/opening.sbn"];
        var script = ScriptModelConverter.Convert(model, static text => text);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var template = _library.Get(name);
            var context = new ReportTemplateContext(_library, _options);
            context.PushGlobal(new ScriptObject { ["report"] = script });
            try
            {
                texts[name] = template.Template.Render(context).Trim();
            }
            catch (ScriptRuntimeException ex)
            {
                throw Describe(ex, template);
            }
        }

        return texts;
    }

    /// <summary>Renders the consolidated report.</summary>
    /// <exception cref="ArgumentException">The input names an unknown format, a year the format does not cover, or
    /// a cell the format does not have.</exception>
    /// <exception cref="NotSupportedException">No template exists for the format and output format.</exception>
    /// <exception cref="ReportTemplateException">A template failed to parse or to render (file and line named).</exception>
    public string Render(ReportInput input, ReportOutputFormat output)
    {
        if (output.IsBinary())
        {
            throw new NotSupportedException($"{output} is a binary format; use {nameof(RenderFile)}.");
        }

        var model = _builder.Build(input);
        var name = TemplateName(model.FormatId, output);
        if (!_library.Exists(name))
        {
            throw new NotSupportedException($"There is no {output} report template for format {model.FormatId} ({name}).");
        }

        var template = _library.Get(name);
        var context = new ReportTemplateContext(_library, _options);
        var globals = new ScriptObject { ["report"] = ScriptModelConverter.Convert(model, OutputEscaping.For(output)) };
        context.PushGlobal(globals);
        string text;
        try
        {
            text = template.Template.Render(context);
        }
        catch (ScriptRuntimeException ex)
        {
            throw Describe(ex, template);
        }

        // Templates keep statements on lines of their own for readability; in Markdown the blank lines they leave
        // behind carry no meaning, so runs of them are folded into one.
        return output == ReportOutputFormat.Markdown ? BlankLineRuns().Replace(text, "\n\n") : text;
    }

    private static string TemplateName(string formatId, ReportOutputFormat output)
    {
        var (folder, extension) = output.TemplateLocation();
        return $"{folder}/{formatId}{extension}";
    }

    private static ReportTemplateException Describe(ScriptRuntimeException ex, LoadedTemplate main)
    {
        // A partial that does not parse is reported where its own error is, not where it was included.
        for (Exception? inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is ReportTemplateException located)
            {
                return located;
            }
        }

        var span = ex.Span;
        var file = string.IsNullOrEmpty(span.FileName) ? main.DisplayPath : span.FileName;
        return new ReportTemplateException(file, span.Start.Line + 1, span.Start.Column + 1, ex.OriginalMessage, ex);
    }

    [GeneratedRegex(@"\n(?:[ \t]*\n){2,}")]
    private static partial Regex BlankLineRuns();
}
