using Aggregator.Core.Forms;
using Aggregator.Core.Text;
using Aggregator.Core.Values;

namespace Aggregator.Import;

/// <summary>One cell read from a department's Word report.</summary>
/// <param name="Cell">The form's cell (id and readable label).</param>
/// <param name="PrintedLabel">The row and column labels as the document prints them: 行政许可（上一年项目数量）.</param>
/// <param name="Text">The text written in the cell, as it is (padding, units); empty when blank.</param>
/// <param name="Value">The value the core reads from <paramref name="Text"/> (万元 for money); null when blank or unreadable.</param>
/// <param name="Doubt">Why the reading is not sure (zh-CN), or null when it is.</param>
public sealed record ImportedCell(CellDefinition Cell, string PrintedLabel, string Text, decimal? Value, string? Doubt)
{
    public bool IsSure => Doubt is null;
}

/// <summary>What was read from a department's Word annual report, before anything is stored.</summary>
/// <param name="Cells">Every form cell found in the document's tables, in printed order.</param>
/// <param name="Missing">The form's cells that no table of the document holds.</param>
/// <param name="Narrative">The paragraphs outside the tables, in order.</param>
/// <param name="UnitsFromHeader">Money units printed in a column header, by cell id.</param>
public sealed record WordReport(
    FormDefinition Form,
    int Year,
    string? Title,
    string? UnitName,
    IReadOnlyList<ImportedCell> Cells,
    IReadOnlyList<CellDefinition> Missing,
    IReadOnlyList<string> Narrative,
    IReadOnlyDictionary<string, string> UnitsFromHeader,
    IReadOnlyList<NarrativeFinding> NarrativeFindings)
{
    public int UnsureCount => Cells.Count(c => !c.IsSure);

    /// <summary>
    /// The submission the department confirms: each filled cell's text as written (the core reads it again, exactly
    /// as it reads a JSON submission), blank cells left out.
    /// </summary>
    public SubmissionDocument ToSubmission(string? unitName = null, string? unitCode = null) => new()
    {
        FormatId = Form.Id,
        Year = Year,
        UnitName = unitName ?? UnitName ?? "",
        UnitCode = unitCode,
        Values = Cells.Where(c => c.Text.Trim().Length > 0)
            .ToDictionary(c => c.Cell.Id, c => SubmittedValue.FromText(c.Text), StringComparer.Ordinal),
        UnitsFromHeader = UnitsFromHeader,
        Narrative = Narrative.Count == 0 ? null : string.Join('\n', Narrative),
    };
}
