using Aggregator.Core.Forms;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;
using CellType = Aggregator.Core.Forms.CellType;

namespace Aggregator.Reporting.Workbooks;

/// <summary>The cells of one template sheet, collected in any order and written as a protected worksheet.</summary>
internal sealed class TemplateSheet
{
    private const string MaxSigned = "999999999999";

    private readonly SortedDictionary<int, SortedDictionary<int, Cell>> _rows = [];
    private readonly List<string> _merges = [];
    private readonly Dictionary<int, double> _widths = [];
    private readonly Dictionary<CellType, List<string>> _validated = [];
    private readonly List<(string Reference, string Formula)> _mismatches = [];

    /// <summary>The input cells in placing order, each with the unit the template prints for it where the form does not.</summary>
    public List<(string CellId, int Row, int Column, string? StatedUnit)> InputCells { get; } = [];

    public void Width(int column, double width) => _widths[column] = width;

    public void Text(int row, int column, string text, uint style) => Put(row, column, new Cell
    {
        DataType = CellValues.InlineString,
        InlineString = new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve }),
        StyleIndex = style,
    });

    public void Input(int row, int column, CellDefinition cell)
    {
        var style = cell.IsHeading ? TemplateStyles.HeadingInput : cell.Type switch
        {
            CellType.SignedInteger => TemplateStyles.SignedInput,
            CellType.Decimal => TemplateStyles.MoneyInput,
            _ => TemplateStyles.CountInput,
        };
        Put(row, column, new Cell { StyleIndex = style });
        var reference = CellReferences.Of(row, column);
        if (!_validated.TryGetValue(cell.Type, out var references))
        {
            _validated[cell.Type] = references = [];
        }

        references.Add(reference);
        InputCells.Add((cell.Id, row, column, StatedUnit(cell)));
    }

    public void Formula(int row, int column, string formula) => Put(row, column, new Cell
    {
        CellFormula = new CellFormula(formula),
        CellValue = new CellValue("0"),
        StyleIndex = TemplateStyles.Computed,
    });

    /// <summary>Marks the input cell red while <paramref name="formula"/> (true when it disagrees with its parts) holds.</summary>
    public void Mismatch(int row, int column, string formula) => _mismatches.Add((CellReferences.Of(row, column), formula));

    public void Merge(int top, int left, int bottom, int right)
    {
        if (bottom > top || right > left)
        {
            _merges.Add($"{CellReferences.Of(top, left)}:{CellReferences.Of(bottom, right)}");
        }
    }

    public Worksheet ToWorksheet()
    {
        var worksheet = new Worksheet();
        if (_widths.Count > 0)
        {
            worksheet.Append(new Columns(_widths.OrderBy(w => w.Key).Select(w => new Column
            {
                Min = (uint)(w.Key + 1),
                Max = (uint)(w.Key + 1),
                Width = w.Value,
                CustomWidth = true,
            })));
        }

        var data = new SheetData();
        foreach (var (index, cells) in _rows)
        {
            var row = new Row { RowIndex = (uint)(index + 1) };
            foreach (var (column, cell) in cells)
            {
                cell.CellReference = CellReferences.Of(index, column);
                row.Append(cell);
            }

            data.Append(row);
        }

        worksheet.Append(data);
        // No password: the protection guides the department's typing; it is not a security boundary (the reader checks every value).
        worksheet.Append(new SheetProtection
        {
            Sheet = true,
            Objects = true,
            Scenarios = true,
            FormatColumns = false,
            FormatRows = false,
            SelectLockedCells = false,
            SelectUnlockedCells = false,
        });
        if (_merges.Count > 0)
        {
            worksheet.Append(new MergeCells(_merges.Select(m => new MergeCell { Reference = m })) { Count = (uint)_merges.Count });
        }

        var priority = 1;
        foreach (var (reference, formula) in _mismatches)
        {
            worksheet.Append(new ConditionalFormatting(new ConditionalFormattingRule(new Formula(formula))
            {
                Type = ConditionalFormatValues.Expression,
                FormatId = TemplateStyles.MismatchFormat,
                Priority = priority++,
            })
            {
                SequenceOfReferences = new ListValue<StringValue>([new StringValue(reference)]),
            });
        }

        if (_validated.Count > 0)
        {
            var validations = _validated.OrderBy(v => v.Key).Select(v => Validation(v.Key, v.Value)).ToList();
            worksheet.Append(new DataValidations(validations) { Count = (uint)validations.Count });
        }

        worksheet.Append(new PageMargins { Left = 0.5, Right = 0.5, Top = 0.6, Bottom = 0.6, Header = 0.3, Footer = 0.3 });
        worksheet.Append(new PageSetup { Orientation = OrientationValues.Landscape, PaperSize = 9, FitToWidth = 1, FitToHeight = 0 });
        return worksheet;
    }

    /// <summary>Money whose unit the national form leaves unprinted: the template prints 万元 in its header and prompt.</summary>
    public static string? StatedUnit(CellDefinition cell) => cell.IsMoney && !cell.UnitPrinted ? cell.Unit ?? "万元" : null;

    private static DataValidation Validation(CellType type, List<string> references)
    {
        var (kind, operation, first, second, title, message) = type switch
        {
            CellType.SignedInteger => (DataValidationValues.Whole, DataValidationOperatorValues.Between, "-" + MaxSigned, MaxSigned,
                "应填写整数", "“本年增/减”填写整数：增加填正数，减少填负数，不变填 0。"),
            CellType.Decimal => (DataValidationValues.Decimal, DataValidationOperatorValues.GreaterThanOrEqual, "0", null,
                "应填写金额（万元）", "金额以万元为单位，填写不小于 0 的数，可以有小数，例如 244.19。"),
            _ => (DataValidationValues.Whole, DataValidationOperatorValues.GreaterThanOrEqual, "0", (string?)null,
                "应填写非负整数", "本栏填写不小于 0 的整数；不填视为 0。"),
        };
        var validation = new DataValidation
        {
            Type = kind,
            Operator = operation,
            AllowBlank = true,
            ShowErrorMessage = true,
            ShowInputMessage = true,
            ErrorStyle = DataValidationErrorStyleValues.Stop,
            ErrorTitle = title,
            Error = message,
            PromptTitle = title,
            Prompt = message,
            SequenceOfReferences = new ListValue<StringValue>(references.Select(r => new StringValue(r))),
        };
        validation.Append(new Formula1(first));
        if (second is not null)
        {
            validation.Append(new Formula2(second));
        }

        return validation;
    }

    private void Put(int row, int column, Cell cell)
    {
        if (!_rows.TryGetValue(row, out var cells))
        {
            _rows[row] = cells = [];
        }

        cells[column] = cell;
    }
}
