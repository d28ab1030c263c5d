using System.Globalization;
using Aggregator.Reporting.Model;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Aggregator.Reporting.Office;

/// <summary>
/// Writes the report as a workbook: one sheet per national table in the printed layout (merged header cells, labels),
/// then the per-unit breakdown and the completeness. Figures are numbers: counts as integers, money in 万元 stored
/// exactly as summed with a number format that shows every decimal it has.
/// </summary>
internal static class XlsxReportWriter
{
    public const string BreakdownSheet = "各单位汇总明细";
    public const string CompletenessSheet = "报送情况";
    public const string YearOverYearSheet = "同比变化";
    public const string TextSheet = "报告正文";
    public const string ValidationSheet = "汇总表校验结果";

    // Built-in number format 0 shows integers; custom formats start at 164.
    private const uint IntegerFormatId = 1;
    private const uint FirstCustomFormatId = 164;

    public static byte[] Write(ReportModel model)
    {
        using var package = new StreamedPackage();
        using (var document = SpreadsheetDocument.Create(package.Skeleton, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            workbookPart.Workbook = new Workbook();
            var styles = new StyleBook();
            var sheets = workbookPart.Workbook.AppendChild(new Sheets());
            var names = new HashSet<string>(StringComparer.Ordinal);
            uint sheetId = 1;

            // A sheet's cells are gathered when its part is written, so that only one sheet's are held at a time.
            void AddSheet(string name, Func<SheetContent> content)
            {
                var part = workbookPart.AddNewPart<WorksheetPart>();
                package.Defer(part, writer => content().WriteTo(writer, styles));
                sheets.Append(new Sheet { Id = workbookPart.GetIdOfPart(part), SheetId = sheetId++, Name = UniqueName(name, names) });
            }

            AddSheet(TextSheet, () => TextContent(model));
            foreach (var table in model.TableList)
            {
                AddSheet(SheetName(table), () => TableSheet(model, table));
            }

            if (model.IsInternal)
            {
                AddSheet(BreakdownSheet, () => BreakdownContent(model));
                AddSheet(CompletenessSheet, () => CompletenessContent(model));
                AddSheet(ValidationSheet, () => ValidationContent(model));
                if (model.YearOverYear.Available)
                {
                    AddSheet(YearOverYearSheet, () => YearOverYearContent(model));
                }
            }

            // The cell formats are known once every sheet is written: the styles part, created after the sheets, is written after them.
            var stylesPart = workbookPart.AddNewPart<WorkbookStylesPart>();
            package.Defer(stylesPart, (Stream stream) => styles.ToStylesheet().Save(stream));
            document.PackageProperties.Title = model.Title;
            workbookPart.Workbook.Save();
        }

        return package.ToArray();
    }

    /// <summary>二（第二十条第（一）项）, 三 收到和处理政府信息公开申请情况, within Excel's 31 characters.</summary>
    internal static string SheetName(TableModel table)
    {
        var heading = table.SectionHeading;
        var name = table.BlockTitle is { Length: > 0 } block
            ? $"{Numeral(heading)}（{block}）"
            : heading.Replace('、', ' ');
        return Clean(name);

        static string Numeral(string heading) => heading.IndexOf('、', StringComparison.Ordinal) is var i and > 0 ? heading[..i] : heading;
    }

    private static string Clean(string name)
    {
        var cleaned = new string([.. name.Select(c => "[]:*?/\\".Contains(c, StringComparison.Ordinal) ? ' ' : c)]).Trim();
        return cleaned.Length > 31 ? cleaned[..31] : cleaned;
    }

    private static string UniqueName(string name, HashSet<string> names)
    {
        var candidate = name;
        for (var i = 2; !names.Add(candidate); i++)
        {
            var suffix = $"({i})";
            candidate = (name.Length + suffix.Length > 31 ? name[..(31 - suffix.Length)] : name) + suffix;
        }

        return candidate;
    }

    private static SheetContent TableSheet(ReportModel model, TableModel table)
    {
        var grid = PrintedGrid.Of(table);
        var sheet = new SheetContent(Math.Max(grid.ColumnCount, 1));
        sheet.Title(model.Title);
        sheet.Title(table.SectionHeading);
        if (table.BlockTitle is { Length: > 0 } block)
        {
            sheet.Title(block);
        }

        var top = sheet.NextRow;
        foreach (var cell in grid.Cells)
        {
            var row = top + cell.Row;
            if (cell.Value is { } value)
            {
                sheet.Number(row, cell.Column, value.Value ?? 0m, value.Kind, value.Text.EndsWith(CellValueFormatter.MoneyUnit, StringComparison.Ordinal));
            }
            else
            {
                sheet.Label(row, cell.Column, cell.Text, header: cell.Row < grid.HeaderRowCount || cell.Role == "group" || cell.Role == "row");
            }

            if (cell.RowSpan > 1 || cell.ColumnSpan > 1)
            {
                sheet.Merge(row, cell.Column, row + cell.RowSpan - 1, cell.Column + cell.ColumnSpan - 1);
            }
        }

        sheet.NextRow = top + grid.RowCount;
        if (table.PrintedNote is { Length: > 0 } note)
        {
            sheet.Title(note);
        }

        return sheet;
    }

    private static SheetContent BreakdownContent(ReportModel model)
    {
        var breakdown = model.Breakdown;
        var sheet = new SheetContent(3 + breakdown.KeyColumns.Count);
        sheet.Title($"{model.Title}　附件1　各单位汇总明细");
        var row = sheet.NextRow;
        string[] fixedHeader = ["单位代码", "单位名称", "汇总版本"];
        for (var i = 0; i < fixedHeader.Length; i++)
        {
            sheet.Label(row, i, fixedHeader[i], header: true);
        }

        for (var i = 0; i < breakdown.KeyColumns.Count; i++)
        {
            var key = breakdown.KeyColumns[i];
            sheet.Label(row, 3 + i, key.Kind == "money" ? $"{key.Label}（{CellValueFormatter.MoneyUnit}）" : key.Label, header: true);
        }

        foreach (var unit in breakdown.Units)
        {
            row++;
            sheet.Label(row, 0, unit.Code, header: false);
            sheet.Label(row, 1, unit.Name, header: false);
            if (unit.IsNode)
            {
                sheet.Label(row, 2, unit.VersionText, header: false);
            }
            else
            {
                sheet.Number(row, 2, unit.Version, "count", withUnit: false);
            }

            for (var i = 0; i < breakdown.KeyColumns.Count; i++)
            {
                sheet.Number(row, 3 + i, unit.Amounts[i], breakdown.KeyColumns[i].Kind, withUnit: false);
            }
        }

        row++;
        sheet.Label(row, 0, "合计", header: true);
        sheet.Merge(row, 0, row, 2);
        for (var i = 0; i < breakdown.KeyColumns.Count; i++)
        {
            sheet.Number(row, 3 + i, breakdown.TotalAmounts[i], breakdown.KeyColumns[i].Kind, withUnit: false);
        }

        sheet.NextRow = row + 1;
        return sheet;
    }

    private static SheetContent CompletenessContent(ReportModel model)
    {
        var completeness = model.Completeness;
        var sheet = new SheetContent(completeness.ByChild ? 8 : 7);
        sheet.Title($"{model.Title}　附件2　报送情况");
        var row = sheet.NextRow;
        string[] summaryLabels = ["应报送单位", "已汇总", "未报送", "报表未通过校验"];
        int[] summary = [completeness.Expected, completeness.IncludedCount, completeness.MissingCount, completeness.RejectedCount];
        for (var i = 0; i < summary.Length; i++)
        {
            sheet.Label(row, 0, summaryLabels[i], header: true);
            sheet.Number(row, 1, summary[i], "count", withUnit: false);
            row++;
        }

        row++;
        if (completeness.DueDate.Length > 0)
        {
            sheet.Label(row, 0, "报送截止日期", header: true);
            sheet.Label(row, 1, completeness.DueDate, header: false);
            row++;
            sheet.Label(row, 0, "逾期报送", header: true);
            sheet.Number(row, 1, completeness.LateCount, "count", withUnit: false);
            row++;
        }

        row++;
        if (completeness.ByChild)
        {
            // An inner node's annex counts each direct child over its subtree instead of naming every leaf.
            string[] childHeader = ["单位代码", "单位名称", "情况", "应报", "已报送", "已汇总", "未通过校验", "未报送"];
            for (var i = 0; i < childHeader.Length; i++)
            {
                sheet.Label(row, i, childHeader[i], header: true);
            }

            foreach (var child in completeness.Children)
            {
                row++;
                sheet.Label(row, 0, child.Code, header: false);
                sheet.Label(row, 1, child.Name, header: false);
                sheet.Label(row, 2, child.State, header: false);
                int[] counts = [child.Expected, child.Submitted, child.Included, child.Rejected, child.Missing];
                for (var i = 0; i < counts.Length; i++)
                {
                    sheet.Number(row, 3 + i, counts[i], "count", withUnit: false);
                }
            }

            sheet.NextRow = row + 1;
            return sheet;
        }

        string[] header = ["情况", "单位代码", "单位名称", "汇总版本", "原因", "报送时间", "是否按时"];
        for (var i = 0; i < header.Length; i++)
        {
            sheet.Label(row, i, header[i], header: true);
        }

        foreach (var unit in completeness.Included)
        {
            row++;
            Unit("已汇总", unit.Code, unit.Name);
            sheet.Number(row, 3, unit.Version, "count", withUnit: false);
            Times(unit.SubmittedAt, unit.Timeliness);
        }

        foreach (var unit in completeness.Rejected)
        {
            row++;
            Unit("未通过校验", unit.Code, unit.Name);
            if (int.TryParse(unit.Version, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                sheet.Number(row, 3, version, "count", withUnit: false);
            }

            sheet.Label(row, 4, string.Join("；", unit.Violations.Select(v => $"{v.Severity}：{v.Message}")), header: false);
            Times(unit.SubmittedAt, unit.Timeliness);
        }

        foreach (var unit in completeness.Missing)
        {
            row++;
            Unit("未报送", unit.Code, unit.Name);
            Times(string.Empty, unit.Timeliness);
        }

        sheet.NextRow = row + 1;
        return sheet;

        void Times(string submittedAt, string timeliness)
        {
            if (submittedAt.Length > 0)
            {
                sheet.Label(row, 5, submittedAt, header: false);
            }

            if (timeliness.Length > 0)
            {
                sheet.Label(row, 6, timeliness, header: false);
            }
        }

        void Unit(string state, string code, string name)
        {
            sheet.Label(row, 0, state, header: false);
            sheet.Label(row, 1, code, header: false);
            sheet.Label(row, 2, name, header: false);
        }
    }

    // The report's words in reading order, one paragraph a row, so the workbook carries the office's text with the figures.
    private static SheetContent TextContent(ReportModel model)
    {
        var sheet = new SheetContent(2);
        sheet.Title(model.Title);
        var row = sheet.NextRow;
        void Line(string part, string text)
        {
            sheet.Label(row, 0, part, header: true);
            sheet.Label(row, 1, text, header: false);
            row++;
        }

        Line("编制单位", model.SignedBy);
        Line("发布日期", model.SignedOn);
        if (model.Contact is { } contact)
        {
            Line("联系方式", contact);
        }

        if (model.Address is { } address)
        {
            Line("地址", address);
        }

        // The old statistics form has no numbered sections of its own: its report frame is the one its templates print.
        IReadOnlyList<SectionModel> sections = model.Sections.Count > 0
            ? model.Sections
            :
            [
                new SectionModel("overview", "一、概况", true, []),
                new SectionModel("problems", "五、存在的主要问题及改进措施", true, []),
                new SectionModel("other", "六、其他需要报告的事项", true, []),
                new SectionModel("statistics", "附表　政府信息公开情况统计表", false, model.TableList),
            ];
        foreach (var section in sections)
        {
            switch (section.Key)
            {
                case "overview":
                    foreach (var paragraph in model.Overview.Paragraphs.Concat(model.Narratives.Overview))
                    {
                        Line(section.Heading, paragraph);
                    }

                    foreach (var part in model.OverviewParts)
                    {
                        foreach (var paragraph in part.Paragraphs)
                        {
                            Line($"{section.Heading}{part.Heading}", paragraph);
                        }
                    }

                    break;
                case "problems":
                    Narrative(section.Heading, model.Narratives.Problems);
                    break;
                case "other":
                    Narrative(section.Heading, model.Narratives.Other);
                    break;
                default:
                    Line(section.Heading, $"见工作表“{string.Join("”“", section.Tables.Select(SheetName))}”");
                    break;
            }
        }

        sheet.NextRow = row;
        return sheet;

        void Narrative(string heading, IReadOnlyList<string> paragraphs)
        {
            if (paragraphs.Count == 0)
            {
                Line(heading, $"（本部分内容由{model.CompiledBy}补充。）");
            }

            foreach (var paragraph in paragraphs)
            {
                Line(heading, paragraph);
            }
        }
    }

    private static SheetContent YearOverYearContent(ReportModel model)
    {
        var yoy = model.YearOverYear;
        var sheet = new SheetContent(7);
        sheet.Title($"{model.Title}　附件4　与上年度（{yoy.PreviousYear}年度）数据比较");
        var row = sheet.NextRow;
        foreach (var line in yoy.NotComparable)
        {
            sheet.Label(row, 0, line, header: false, wrap: false);
            row++;
        }

        foreach (var check in yoy.Checks)
        {
            sheet.Label(row, 0, check.UnitCode, header: false);
            sheet.Label(row, 1, check.UnitName, header: false);
            sheet.Label(row, 2, $"{check.Severity}：{check.RuleId}：{check.Message}", header: false, wrap: false);
            row++;
        }

        row++;
        string[] header = ["单位代码", "单位名称", "项目", "上年度", "本年度", "增减", "增减幅度"];
        for (var i = 0; i < header.Length; i++)
        {
            sheet.Label(row, i, header[i], header: true);
        }

        foreach (var change in yoy.Units.SelectMany(u => u.Changes))
        {
            row++;
            var kind = change.Kind == "money" ? "money" : "count";
            sheet.Label(row, 0, change.UnitCode, header: false);
            sheet.Label(row, 1, change.UnitName, header: false);
            sheet.Label(row, 2, change.Label, header: false);
            sheet.Number(row, 3, change.PreviousAmount, kind, withUnit: false);
            sheet.Number(row, 4, change.CurrentAmount, kind, withUnit: false);
            sheet.Number(row, 5, change.ChangeAmount, change.Kind == "money" ? "money" : "signed", withUnit: false);
            sheet.Label(row, 6, change.Rate, header: false);
        }

        sheet.NextRow = row + 1;
        return sheet;
    }

    private static SheetContent ValidationContent(ReportModel model)
    {
        var validation = model.Validation;
        var sheet = new SheetContent(4);
        sheet.Title($"{model.Title}　附件3　汇总表校验结果");
        var row = sheet.NextRow;
        sheet.Label(row, 0, "校验规则数", header: true);
        sheet.Number(row, 1, validation.RuleCount, "count", withUnit: false);
        sheet.Label(++row, 0, "错误", header: true);
        sheet.Number(row, 1, validation.ErrorCount, "count", withUnit: false);
        sheet.Label(++row, 0, "警告", header: true);
        sheet.Number(row, 1, validation.WarningCount, "count", withUnit: false);
        sheet.Label(++row, 0, "结论", header: true);
        sheet.Label(row, 1, validation.Passed ? "通过" : "未通过", header: false);
        row += 2;
        string[] header = ["序号", "规则", "级别", "说明"];
        for (var i = 0; i < header.Length; i++)
        {
            sheet.Label(row, i, header[i], header: true);
        }

        foreach (var (violation, index) in validation.Violations.Select((v, i) => (v, i)))
        {
            row++;
            sheet.Number(row, 0, index + 1, "count", withUnit: false);
            sheet.Label(row, 1, violation.RuleId, header: false);
            sheet.Label(row, 2, violation.Severity, header: false);
            sheet.Label(row, 3, violation.Message, header: false);
        }

        sheet.NextRow = row + 1;
        return sheet;
    }

    /// <summary>The cells of one sheet, written out in row order at the end.</summary>
    private sealed class SheetContent(int width)
    {
        private readonly SortedDictionary<int, SortedDictionary<int, Func<StyleBook, Cell>>> _rows = [];
        private readonly List<string> _merges = [];

        public int NextRow { get; set; }

        public void Title(string text)
        {
            Label(NextRow, 0, text, header: true, wrap: false);
            if (width > 1)
            {
                Merge(NextRow, 0, NextRow, width - 1);
            }

            NextRow++;
        }

        public void Label(int row, int column, string text, bool header, bool wrap = true) =>
            Put(row, column, styles => new Cell
            {
                CellReference = Reference(row, column),
                DataType = CellValues.InlineString,
                InlineString = new InlineString(new Text(text)),
                StyleIndex = styles.Text(header, wrap),
            });

        // The value is written as the report prints it (trailing zeros dropped, nothing rounded), and the number format
        // shows exactly its decimals, so the sheet reads as the printed table.
        public void Number(int row, int column, decimal value, string kind, bool withUnit)
        {
            var exact = CellValueFormatter.Normalize(value);
            Put(row, column, styles => new Cell
            {
                CellReference = Reference(row, column),
                DataType = CellValues.Number,
                CellValue = new CellValue(exact.ToString(CultureInfo.InvariantCulture)),
                StyleIndex = styles.Number(kind == "money" ? DecimalsOf(exact) : 0, kind == "signed", withUnit),
            });
        }

        public void Merge(int top, int left, int bottom, int right) =>
            _merges.Add($"{Reference(top, left)}:{Reference(bottom, right)}");

        // Written row by row: a sheet of thousands of units never exists as one element tree.
        public void WriteTo(OpenXmlWriter writer, StyleBook styles)
        {
            writer.WriteStartElement(new Worksheet());
            writer.WriteElement(new Columns(Enumerable.Range(1, width).Select(i => new Column
            {
                Min = (uint)i,
                Max = (uint)i,
                Width = i <= 2 ? 24 : 12,
                CustomWidth = true,
            })));
            writer.WriteStartElement(new SheetData());
            foreach (var (index, cells) in _rows)
            {
                var row = new Row { RowIndex = (uint)(index + 1) };
                row.Append(cells.Values.Select(make => make(styles)));
                writer.WriteElement(row);
            }

            writer.WriteEndElement();
            if (_merges.Count > 0)
            {
                writer.WriteElement(new MergeCells(_merges.Select(m => new MergeCell { Reference = m })));
            }

            writer.WriteEndElement();
        }

        private void Put(int row, int column, Func<StyleBook, Cell> cell)
        {
            if (!_rows.TryGetValue(row, out var cells))
            {
                _rows[row] = cells = [];
            }

            cells[column] = cell;
        }

        private static int DecimalsOf(decimal value) => (decimal.GetBits(value)[3] >> 16) & 0xFF;

        private static string Reference(int row, int column)
        {
            var letters = string.Empty;
            for (var c = column + 1; c > 0; c = (c - 1) / 26)
            {
                letters = (char)('A' + ((c - 1) % 26)) + letters;
            }

            return letters + (row + 1).ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The workbook's cell formats, each made once: text (header or not) and numbers by their decimals.</summary>
    private sealed class StyleBook
    {
        private readonly List<(uint NumberFormat, bool Bold, bool Wrap, bool Center)> _formats = [(0, false, false, false)];
        private readonly Dictionary<string, uint> _customFormats = new(StringComparer.Ordinal);

        public uint Text(bool header, bool wrap) => Index((0, header, wrap, header));

        public uint Number(int decimals, bool signed, bool withUnit)
        {
            var pattern = decimals == 0 ? "0" : "0." + new string('0', decimals);
            if (signed)
            {
                pattern = $"+{pattern};-{pattern};0";
            }

            if (withUnit)
            {
                pattern += $"\"{CellValueFormatter.MoneyUnit}\"";
            }

            uint id;
            if (pattern == "0")
            {
                id = IntegerFormatId;
            }
            else if (!_customFormats.TryGetValue(pattern, out id))
            {
                id = FirstCustomFormatId + (uint)_customFormats.Count;
                _customFormats[pattern] = id;
            }

            return Index((id, false, false, true));
        }

        private uint Index((uint, bool, bool, bool) format)
        {
            var index = _formats.IndexOf(format);
            if (index < 0)
            {
                _formats.Add(format);
                index = _formats.Count - 1;
            }

            return (uint)index;
        }

        public Stylesheet ToStylesheet()
        {
            var numberingFormats = new NumberingFormats(_customFormats.Select(f => new NumberingFormat { NumberFormatId = f.Value, FormatCode = f.Key }))
            {
                Count = (uint)_customFormats.Count,
            };
            var fonts = new Fonts(
                new Font(new FontSize { Val = 11 }, new FontName { Val = "宋体" }),
                new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "宋体" }))
            { Count = 2 };
            var fills = new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 };
            var borders = SpreadsheetBorders.NoneAndThinBox();
            var cellFormats = new CellFormats(_formats.Select((f, i) => new CellFormat(new Alignment
            {
                Horizontal = f.Center ? HorizontalAlignmentValues.Center : HorizontalAlignmentValues.Left,
                Vertical = VerticalAlignmentValues.Center,
                WrapText = f.Wrap,
            })
            {
                NumberFormatId = f.NumberFormat,
                FontId = f.Bold ? 1u : 0u,
                BorderId = i == 0 ? 0u : 1u,
                ApplyNumberFormat = f.NumberFormat != 0,
                ApplyFont = f.Bold,
                ApplyBorder = i != 0,
                ApplyAlignment = true,
            }))
            { Count = (uint)_formats.Count };
            var stylesheet = new Stylesheet();
            if (_customFormats.Count > 0)
            {
                stylesheet.Append(numberingFormats);
            }

            stylesheet.Append(fonts, fills, borders, new CellStyleFormats(new CellFormat()) { Count = 1 }, cellFormats);
            return stylesheet;
        }
    }
}
