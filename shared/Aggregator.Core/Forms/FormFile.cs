namespace Aggregator.Core.Forms;

// The on-disk shape of a form file (Forms/*.json); FormReader turns it into a FormDefinition.

internal sealed class FormFile
{
    public string? Id { get; set; }
    public string? Title { get; set; }
    public string? IssuedBy { get; set; }
    public YearRangeFile? ValidYears { get; set; }
    public List<string>? HeaderFields { get; set; }
    public List<string>? Sections { get; set; }
    public List<string>? NarrativeSections { get; set; }
    public List<TableFile>? Tables { get; set; }
    public List<RuleFile>? Rules { get; set; }
}

internal sealed class YearRangeFile
{
    public int? From { get; set; }
    public int? To { get; set; }
}

internal sealed class TableFile
{
    public string? Id { get; set; }
    public string? Title { get; set; }
    public string? LabelPrefix { get; set; }
    public bool LabelOmitsColumn { get; set; }
    public string? RowHeader { get; set; }
    public List<string>? PrintedHeader { get; set; }
    public string? NotePrinted { get; set; }
    public string? Note { get; set; }
    public CellSpecFile? CellDefaults { get; set; }
    public List<RowFile>? Rows { get; set; }
    public List<ColumnFile>? Columns { get; set; }
}

internal sealed class CellSpecFile
{
    public string? Unit { get; set; }
    public bool? UnitPrinted { get; set; }
    public string? Type { get; set; }
}

internal sealed class RowFile
{
    public string? Id { get; set; }
    public string? Label { get; set; }
    public int Level { get; set; } = 1;
    public string? Parent { get; set; }
    public bool? Cells { get; set; }
    public bool? Heading { get; set; }
    public string? Unit { get; set; }
    public bool? UnitPrinted { get; set; }
    public string? Type { get; set; }
    public string? Note { get; set; }
}

internal sealed class ColumnFile
{
    public string? Id { get; set; }
    public string? Label { get; set; }
    public string? Parent { get; set; }
    public bool? Cells { get; set; }
    public string? Unit { get; set; }
    public bool? UnitPrinted { get; set; }
    public string? Type { get; set; }
    public string? Note { get; set; }
}

internal sealed class RuleFile
{
    public string? Id { get; set; }
    public bool Official { get; set; }
    public string? Severity { get; set; }
    public string? Description { get; set; }
    public Dictionary<string, List<string>>? ForEach { get; set; }
    public string? Expression { get; set; }
    public string? Message { get; set; }
    public List<string>? Messages { get; set; }
    public string? Check { get; set; }
    public List<string>? Cells { get; set; }
    public Dictionary<string, string>? MessageByProblem { get; set; }
}
