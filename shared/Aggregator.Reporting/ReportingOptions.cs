namespace Aggregator.Reporting;

/// <summary>Settings of report rendering, bound from the <c>Reporting</c> configuration section.</summary>
public sealed class ReportingOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Reporting";

    /// <summary>
    /// A folder laid out like the embedded templates (<c>html/fmt_2019.sbn-html</c>, <c>markdown/partials/…</c>);
    /// a file there replaces the embedded template of the same name. Null: embedded templates only.
    /// </summary>
    public string? TemplateDirectory { get; set; }

    /// <summary>
    /// Iterations allowed in one tree of nested loops. A city report lists ~700 units under ~200 cells, so the
    /// default leaves room for that while an endless loop still stops within a second.
    /// </summary>
    public int LoopLimit { get; set; } = 500_000;

    /// <summary>Depth of nested function calls and includes.</summary>
    public int RecursiveLimit { get; set; } = 64;

    /// <summary>Characters a report may have in all.</summary>
    public int OutputLimit { get; set; } = 50_000_000;
}
