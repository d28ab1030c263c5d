using Aggregator.Reporting.Model;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Aggregator.Reporting.Office;

/// <summary>
/// Writes the report as a Word document laid out as the published reports are: A4, the title in 宋体, headings 一 to
/// 六, body text in 仿宋, the national tables with their merged header cells, page numbers in the footer.
/// </summary>
internal static class DocxReportWriter
{
    public const string TitleFont = "宋体";
    public const string BodyFont = "仿宋";
    public const string HeadingFont = "黑体";
    public const string SubHeadingFont = "楷体";
    public const string TableFont = "宋体";
    private const string LatinFont = "Times New Roman";

    // A4 in twentieths of a point, with the margins of government documents (37 mm top, 35 mm bottom, 28/26 mm sides).
    private const int PageWidth = 11906;
    private const int PageHeight = 16838;
    private const int MarginTop = 2098;
    private const int MarginBottom = 1984;
    private const int MarginLeft = 1588;
    private const int MarginRight = 1474;
    private const int TextWidth = PageWidth - MarginLeft - MarginRight;

    // Half-points: 二号 22pt for the title, 三号 16pt for text, 五号 10.5pt and 小五 9pt in tables.
    private const int TitleSize = 44;
    private const int BodySize = 32;
    private const int TableSize = 21;
    private const int DenseTableSize = 18;

    private const string AnnexCellStyle = "AnnexCell";
    private const string DenseAnnexCellStyle = "AnnexCellDense";

    private static readonly string[] Numerals = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

    /// <param name="texts">The plain-text templates rendered for the model, by name (common/opening.sbn …).</param>
    public static byte[] Write(ReportModel model, IReadOnlyDictionary<string, string> texts)
    {
        using var package = new StreamedPackage();
        using (var document = WordprocessingDocument.Create(package.Skeleton, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            AddStyles(main);
            var footer = main.AddNewPart<FooterPart>();
            footer.Footer = PageNumberFooter();
            document.PackageProperties.Title = model.Title;
            document.PackageProperties.Creator = model.CompiledBy;
            var footerId = main.GetIdOfPart(footer);
            package.Defer(main, writer => WriteDocument(writer, model, texts, footerId));
        }

        return package.ToArray();
    }

    // The body is written element by element, the annex tables row by row, so that a report over thousands of
    // units never holds the whole document tree.
    private static void WriteDocument(OpenXmlWriter writer, ReportModel model, IReadOnlyDictionary<string, string> texts, string footerId)
    {
        writer.WriteStartElement(new Document());
        writer.WriteStartElement(new Body());
        var body = new BodyWriter(writer);
        body.Append(Paragraph(model.Title, TitleFont, TitleSize, bold: true, JustificationValues.Center));
        if (model.FormatId == StatisticsFormat)
        {
            AppendStatisticsReport(body, model, texts);
        }
        else
        {
            body.Append(BodyParagraph(texts.TryGetValue("common/opening.sbn", out var opening) ? opening : Opening(model)));
            foreach (var section in model.Sections)
            {
                body.Append(Heading(section.Heading));
                AppendSection(body, model, section);
            }
        }

        foreach (var line in new[] { model.Contact, model.Address }.OfType<string>())
        {
            body.Append(BodyParagraph(line));
        }

        body.Append(Paragraph(model.SignedBy, BodyFont, BodySize, bold: false, JustificationValues.Right));
        body.Append(Paragraph(model.SignedOn, BodyFont, BodySize, bold: false, JustificationValues.Right));
        if (model.IsInternal)
        {
            AppendAnnexes(body, model);
            AppendYearOverYear(body, model);
        }

        body.Append(SectionProperties(footerId));
        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    private static void AppendSection(BodyWriter body, ReportModel model, SectionModel section)
    {
        switch (section.Key)
        {
            case "overview":
                foreach (var paragraph in model.Overview.Paragraphs.Concat(model.Narratives.Overview))
                {
                    body.Append(BodyParagraph(paragraph));
                }

                foreach (var part in model.OverviewParts)
                {
                    body.Append(SubHeading(part.Heading));
                    foreach (var paragraph in part.Paragraphs)
                    {
                        body.Append(BodyParagraph(paragraph));
                    }
                }

                break;
            case "problems":
                AppendNarrative(body, model, model.Narratives.Problems);
                break;
            case "other":
                AppendNarrative(body, model, model.Narratives.Other);
                break;
            default:
                foreach (var table in section.Tables)
                {
                    body.Append(Table(table));
                    if (table.PrintedNote is { Length: > 0 } note)
                    {
                        body.Append(Paragraph(note, TableFont, TableSize, bold: false, JustificationValues.Left));
                    }

                    body.Append(new Paragraph());
                }

                break;
        }
    }

    private const string StatisticsFormat = "stat_pre2019";

    // The reports on 2018 and earlier: the narrative frame of the time, its sentences from the templates, then the
    // summed 政府信息公开情况统计表 — the same order as the HTML and Markdown templates of that format.
    private static void AppendStatisticsReport(BodyWriter body, ReportModel model, IReadOnlyDictionary<string, string> texts)
    {
        body.Append(BodyParagraph(texts.GetValueOrDefault("common/opening-stat.sbn", string.Empty)));
        body.Append(Heading("一、概况"));
        AppendSection(body, model, new SectionModel("overview", "一、概况", true, []));
        body.Append(Heading("二、主动公开政府信息情况"));
        body.Append(BodyParagraph(texts.GetValueOrDefault("common/stat-proactive.sbn", string.Empty)));
        body.Append(Heading("三、依申请公开政府信息情况"));
        body.Append(BodyParagraph(texts.GetValueOrDefault("common/stat-applications.sbn", string.Empty)));
        body.Append(Heading("四、因政府信息公开申请行政复议和提起行政诉讼的情况"));
        body.Append(BodyParagraph(texts.GetValueOrDefault("common/stat-appeals.sbn", string.Empty)));
        body.Append(Heading("五、存在的主要问题及改进措施"));
        AppendNarrative(body, model, model.Narratives.Problems);
        body.Append(Heading("六、其他需要报告的事项"));
        AppendNarrative(body, model, model.Narratives.Other);
        body.Append(Heading("附表　政府信息公开情况统计表"));
        foreach (var table in model.TableList)
        {
            body.Append(Paragraph(table.Title, HeadingFont, BodySize, bold: false, JustificationValues.Center));
            body.Append(Paragraph($"（{model.Year}年度）　填报单位：{model.UnitName}", BodyFont, TableSize, bold: false, JustificationValues.Center));
            body.Append(Table(table));
            body.Append(new Paragraph());
        }
    }

    private static void AppendNarrative(BodyWriter body, ReportModel model, IReadOnlyList<string> paragraphs)
    {
        if (paragraphs.Count == 0)
        {
            body.Append(BodyParagraph($"（本部分内容由{model.CompiledBy}补充。）"));
            return;
        }

        foreach (var paragraph in paragraphs)
        {
            body.Append(BodyParagraph(paragraph));
        }
    }

    private static string Opening(ReportModel model) =>
        $"本年度报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）的规定，由{model.CompiledBy}综合{model.CompiledFrom}的政府信息公开年度报告编制而成。"
        + $"全文包括{string.Join("、", model.SectionNames)}{Numeral(model.SectionNames.Count)}个部分"
        + (model.AnnexNames.Count > 0 ? $"，另附{string.Join("、", model.AnnexNames)}{Numeral(model.AnnexNames.Count)}个附件。" : "。")
        + $"报告中所列数据的统计期限从{model.Year}年1月1日至12月31日止。";

    private static string Numeral(int n) => n < Numerals.Length ? Numerals[n] : n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void AppendAnnexes(BodyWriter body, ReportModel model)
    {
        body.Append(new Paragraph(new Run(new Break { Type = BreakValues.Page })));
        body.Append(Heading("附件1　各单位汇总明细"));
        var breakdown = model.Breakdown;
        var header = new List<string> { "单位代码", "单位名称", "版本" };
        header.AddRange(breakdown.KeyColumns.Select(k => k.Label));
        var rows = breakdown.Units
            .Select(u => (IReadOnlyList<string>)[u.Code, u.Name, u.VersionText, .. u.Values])
            .Append(["合计", string.Empty, string.Empty, .. breakdown.Totals]);
        AppendSimpleTable(body, header, rows);

        body.Append(Heading("附件2　报送情况"));
        var completeness = model.Completeness;
        if (completeness.ByChild)
        {
            AppendChildCompleteness(body, completeness);
        }
        else
        {
            AppendUnitCompleteness(body, completeness);
        }

        body.Append(Heading("附件3　汇总表校验结果"));
        var validation = model.Validation;
        body.Append(BodyParagraph(validation.Passed
            ? $"汇总表按{validation.RuleCount}条规则校验，全部通过。"
            : $"汇总表按{validation.RuleCount}条规则校验，错误{validation.ErrorCount}条，警告{validation.WarningCount}条。"));
        foreach (var violation in validation.Violations)
        {
            body.Append(BodyParagraph($"{violation.Severity}：{violation.Message}"));
        }
    }

    private static void AppendUnitCompleteness(BodyWriter body, CompletenessModel completeness)
    {
        body.Append(BodyParagraph(
            $"应报送单位{completeness.Expected}家，已汇总{completeness.Included.Count}家，未报送{completeness.Missing.Count}家，报表未通过校验{completeness.Rejected.Count}家。"
            + (completeness.DueDate.Length == 0 ? string.Empty
                : completeness.LateCount > 0 ? $"报送截止日期为{completeness.DueDate}，逾期报送{completeness.LateCount}家。" : $"报送截止日期为{completeness.DueDate}，已报送的单位均按时报送。")));
        var units = completeness.Included.Select(u => (IReadOnlyList<string>)["已汇总", u.Code, u.Name, u.SubmittedAt, u.Timeliness])
            .Concat(completeness.Missing.Select(u => (IReadOnlyList<string>)["未报送", u.Code, u.Name, string.Empty, u.Timeliness]))
            .Concat(completeness.Rejected.Select(u => (IReadOnlyList<string>)["未通过校验", u.Code, u.Name, u.SubmittedAt, u.Timeliness]));
        AppendSimpleTable(body, ["情况", "单位代码", "单位名称", "报送时间", "是否按时"], units);
        foreach (var unit in completeness.Rejected)
        {
            foreach (var violation in unit.Violations)
            {
                body.Append(BodyParagraph($"{unit.Name}（{unit.Code}）【{violation.Severity}】{violation.RuleId}：{violation.Message}"));
            }
        }
    }

    // An inner node's annex counts each direct child over its subtree: a province's would otherwise name 10⁴ leaves.
    private static void AppendChildCompleteness(BodyWriter body, CompletenessModel completeness)
    {
        body.Append(BodyParagraph(
            $"应报送单位{completeness.Expected}家，已汇总{completeness.IncludedCount}家，未报送{completeness.MissingCount}家，报表未通过校验{completeness.RejectedCount}家，按下一级单位列示如下。"
            + (completeness.DueDate.Length == 0 ? string.Empty
                : completeness.LateCount > 0 ? $"报送截止日期为{completeness.DueDate}，逾期报送{completeness.LateCount}家。" : $"报送截止日期为{completeness.DueDate}，已报送的单位均按时报送。")));
        AppendSimpleTable(
            body,
            ["单位代码", "单位名称", "情况", "应报", "已报送", "已汇总", "未通过校验", "未报送"],
            completeness.Children.Select(c => (IReadOnlyList<string>)[c.Code, c.Name, c.State, Count(c.Expected), Count(c.Submitted), Count(c.Included), Count(c.Rejected), Count(c.Missing)]));

        static string Count(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void AppendYearOverYear(BodyWriter body, ReportModel model)
    {
        var yoy = model.YearOverYear;
        if (!yoy.Available)
        {
            return;
        }

        body.Append(Heading("附件4　与上年度数据比较"));
        body.Append(BodyParagraph(yoy.SameFormat
            ? $"各已汇总单位本年度报表与其{yoy.PreviousYear}年度已通过校验的报表逐项比较，两年均为{yoy.CurrentFormat}。"
            : $"各已汇总单位本年度报表与其{yoy.PreviousYear}年度已通过校验的报表比较：上年度为{yoy.PreviousFormat}，本年度为{yoy.CurrentFormat}，只比较口径一致的项目。"));
        foreach (var line in yoy.NotComparable)
        {
            body.Append(BodyParagraph(line));
        }

        foreach (var check in yoy.Checks)
        {
            body.Append(BodyParagraph($"{check.UnitName}：{check.Severity}（{check.RuleId}）：{check.Message}"));
        }

        if (yoy.Largest.Count > 0)
        {
            AppendSimpleTable(
                body,
                ["单位名称", "项目", "上年度", "本年度", "增减", "增减幅度"],
                yoy.Largest.Select(c => (IReadOnlyList<string>)[c.UnitName, c.Label, c.Previous, c.Current, c.Change, c.Rate]));
        }
    }

    private static Table Table(TableModel table)
    {
        var grid = PrintedGrid.Of(table);
        var size = grid.ColumnCount > 10 ? DenseTableSize : TableSize;
        var result = NewTable(ColumnWidths(table, grid.ColumnCount));
        if (table.BlockTitle is { Length: > 0 } blockTitle)
        {
            var row = new TableRow(new TableRowProperties(new TableHeader()));
            row.Append(Cell(blockTitle, size, bold: true, grid.ColumnCount, null, JustificationValues.Left));
            result.Append(row);
        }

        for (var r = 0; r < grid.RowCount; r++)
        {
            var row = new TableRow();
            if (r < grid.HeaderRowCount)
            {
                row.Append(new TableRowProperties(new TableHeader()));
            }

            for (var c = 0; c < grid.ColumnCount;)
            {
                var (cell, isOrigin) = grid.At(r, c);
                if (cell is null)
                {
                    row.Append(Cell(string.Empty, size, bold: false, 1, null, JustificationValues.Center));
                    c++;
                    continue;
                }

                // Word merges vertically by a restarting cell followed by continuing cells of the same width below it.
                var merge = cell.RowSpan > 1 ? new VerticalMerge { Val = isOrigin ? MergedCellValues.Restart : null } : null;
                var text = isOrigin ? cell.Text : string.Empty;
                var justification = cell.Value is not null || cell.Role == "column" || cell.Role == "corner"
                    ? JustificationValues.Center
                    : JustificationValues.Left;
                row.Append(Cell(text, size, bold: false, cell.ColumnSpan, merge, justification));
                c += cell.ColumnSpan;
            }

            result.Append(row);
        }

        return result;
    }

    private static void AppendSimpleTable(BodyWriter body, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var widths = Enumerable.Range(0, header.Count).Select(i => i == 1 ? 3 : 1).ToList();
        var style = header.Count > 8 ? DenseAnnexCellStyle : AnnexCellStyle;
        var headerRow = new TableRow(new TableRowProperties(new TableHeader()));
        headerRow.Append(header.Select(h => AnnexCell(h, style, bold: true, JustificationValues.Center)));
        body.AppendTable(
            NewTable(Scale(widths)),
            rows.Select(row => new TableRow(row.Select((text, i) => AnnexCell(text, style, bold: false, i == 1 ? JustificationValues.Left : JustificationValues.Center))))
                .Prepend(headerRow));
    }

    // An annex has a row per unit: its cells take font, size and spacing from a style, which keeps each of thousands
    // of rows a few small elements.
    private static TableCell AnnexCell(string text, string style, bool bold, JustificationValues justification)
    {
        var run = new Run();
        if (bold)
        {
            run.Append(new RunProperties(new Bold()));
        }

        run.Append(new Text(text) { Space = SpaceProcessingModeValues.Preserve });
        return new TableCell(
            new TableCellProperties(new TableCellVerticalAlignment { Val = TableVerticalAlignmentValues.Center }),
            new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = style }, new Justification { Val = justification }), run));
    }

    // Label columns get twice the width of value columns, as in the printed tables.
    private static IReadOnlyList<int> ColumnWidths(TableModel table, int columnCount)
    {
        var labelColumns = table.Layout == Model.TableLayout.Transposed ? 0 : Math.Max(columnCount - table.Columns.Count, 0);
        var weights = Enumerable.Range(0, columnCount).Select(i => i < labelColumns ? (table.Layout == Model.TableLayout.List && i == 0 ? 6 : 2) : 1).ToList();
        return Scale(weights);
    }

    private static List<int> Scale(IReadOnlyList<int> weights)
    {
        var total = Math.Max(weights.Sum(), 1);
        return [.. weights.Select(w => TextWidth * w / total)];
    }

    private static Table NewTable(IReadOnlyList<int> widths)
    {
        var border = new Func<BorderType, BorderType>(b =>
        {
            b.Val = BorderValues.Single;
            b.Size = 4;
            b.Color = "000000";
            return b;
        });
        var table = new Table(new TableProperties(
            new TableWidth { Width = TextWidth.ToString(System.Globalization.CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa },
            new TableBorders(
                border(new TopBorder()),
                border(new LeftBorder()),
                border(new BottomBorder()),
                border(new RightBorder()),
                border(new InsideHorizontalBorder()),
                border(new InsideVerticalBorder())),
            new DocumentFormat.OpenXml.Wordprocessing.TableLayout { Type = TableLayoutValues.Fixed },
            new TableCellMarginDefault(
                new TableCellLeftMargin { Width = 40, Type = TableWidthValues.Dxa },
                new TableCellRightMargin { Width = 40, Type = TableWidthValues.Dxa })));
        table.Append(new TableGrid(widths.Select(w => new GridColumn { Width = w.ToString(System.Globalization.CultureInfo.InvariantCulture) })));
        return table;
    }

    private static TableCell Cell(string text, int size, bool bold, int columnSpan, VerticalMerge? merge, JustificationValues justification)
    {
        var properties = new TableCellProperties();
        if (columnSpan > 1)
        {
            properties.Append(new GridSpan { Val = columnSpan });
        }

        if (merge is not null)
        {
            properties.Append(merge);
        }

        properties.Append(new TableCellVerticalAlignment { Val = TableVerticalAlignmentValues.Center });
        var paragraph = Paragraph(
            text, TableFont, size, bold, justification, spacing: new SpacingBetweenLines { Before = "0", After = "0", Line = "240", LineRule = LineSpacingRuleValues.Auto });
        return new TableCell(properties, paragraph);
    }

    private static Paragraph Heading(string text)
    {
        return Paragraph(text, HeadingFont, BodySize, bold: false, JustificationValues.Left, style: "Heading1", firstLineIndent: true);
    }

    // Second-level headings of government documents are set in 楷体.
    private static Paragraph SubHeading(string text)
    {
        return Paragraph(text, SubHeadingFont, BodySize, bold: false, JustificationValues.Left, style: "Heading2", firstLineIndent: true);
    }

    private static Paragraph BodyParagraph(string text)
    {
        return Paragraph(text, BodyFont, BodySize, bold: false, JustificationValues.Both, firstLineIndent: true);
    }

    // The paragraph properties are written in the order the schema requires: style, spacing, indentation, justification.
    private static Paragraph Paragraph(
        string text,
        string font,
        int size,
        bool bold,
        JustificationValues justification,
        string? style = null,
        SpacingBetweenLines? spacing = null,
        bool firstLineIndent = false)
    {
        var paragraphProperties = new ParagraphProperties();
        if (style is not null)
        {
            paragraphProperties.Append(new ParagraphStyleId { Val = style });
        }

        if (spacing is not null)
        {
            paragraphProperties.Append(spacing);
        }

        if (firstLineIndent)
        {
            // Two characters of 三号 text.
            paragraphProperties.Append(new Indentation { FirstLine = "640" });
        }

        paragraphProperties.Append(new Justification { Val = justification });
        var runProperties = new RunProperties(new RunFonts { Ascii = LatinFont, HighAnsi = LatinFont, EastAsia = font, ComplexScript = LatinFont });
        if (bold)
        {
            runProperties.Append(new Bold());
        }

        runProperties.Append(new FontSize { Val = size.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        runProperties.Append(new FontSizeComplexScript { Val = size.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return new Paragraph(paragraphProperties, new Run(runProperties, new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
    }

    private static Style AnnexCellStyleDefinition(string id, string name, int size) => new(
        new StyleName { Val = name },
        new BasedOn { Val = "Normal" },
        new StyleParagraphProperties(new SpacingBetweenLines { Before = "0", After = "0", Line = "240", LineRule = LineSpacingRuleValues.Auto }),
        new StyleRunProperties(
            new RunFonts { Ascii = LatinFont, HighAnsi = LatinFont, EastAsia = TableFont, ComplexScript = LatinFont },
            new FontSize { Val = size.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            new FontSizeComplexScript { Val = size.ToString(System.Globalization.CultureInfo.InvariantCulture) }))
    {
        Type = StyleValues.Paragraph,
        StyleId = id,
    };

    private static void AddStyles(MainDocumentPart main)
    {
        var styles = main.AddNewPart<StyleDefinitionsPart>();
        styles.Styles = new Styles(
            new DocDefaults(
                new RunPropertiesDefault(new RunPropertiesBaseStyle(
                    new RunFonts { Ascii = LatinFont, HighAnsi = LatinFont, EastAsia = BodyFont, ComplexScript = LatinFont },
                    new FontSize { Val = BodySize.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                    new Languages { Val = "en-US", EastAsia = "zh-CN" })),
                new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(
                    new SpacingBetweenLines { After = "0", Line = "560", LineRule = LineSpacingRuleValues.Exact }))),
            new Style(new StyleName { Val = "Normal" }) { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true },
            new Style(
                new StyleName { Val = "heading 1" },
                new BasedOn { Val = "Normal" },
                new PrimaryStyle(),
                new StyleParagraphProperties(new KeepNext(), new OutlineLevel { Val = 0 }))
            { Type = StyleValues.Paragraph, StyleId = "Heading1" },
            new Style(
                new StyleName { Val = "heading 2" },
                new BasedOn { Val = "Normal" },
                new PrimaryStyle(),
                new StyleParagraphProperties(new KeepNext(), new OutlineLevel { Val = 1 }))
            { Type = StyleValues.Paragraph, StyleId = "Heading2" },

            AnnexCellStyleDefinition(AnnexCellStyle, "annex cell", TableSize),
            AnnexCellStyleDefinition(DenseAnnexCellStyle, "annex cell dense", DenseTableSize));
    }

    private static Footer PageNumberFooter()
    {
        var runProperties = () => new RunProperties(
            new RunFonts { Ascii = LatinFont, HighAnsi = LatinFont, EastAsia = TitleFont },
            new FontSize { Val = "28" });
        return new Footer(new Paragraph(
            new ParagraphProperties(new Justification { Val = JustificationValues.Center }),
            new Run(runProperties(), new Text("— ") { Space = SpaceProcessingModeValues.Preserve }),
            new SimpleField(new Run(runProperties(), new Text("1"))) { Instruction = " PAGE " },
            new Run(runProperties(), new Text(" —") { Space = SpaceProcessingModeValues.Preserve })));
    }

    private static SectionProperties SectionProperties(string footerId) => new(
        new FooterReference { Type = HeaderFooterValues.Default, Id = footerId },
        new PageSize { Width = PageWidth, Height = PageHeight, Orient = PageOrientationValues.Portrait },
        new PageMargin { Top = MarginTop, Bottom = MarginBottom, Left = MarginLeft, Right = MarginRight, Header = 851, Footer = 992, Gutter = 0 });

    /// <summary>Writes body elements as they are made; a table's rows are made and written one at a time.</summary>
    private sealed class BodyWriter(OpenXmlWriter writer)
    {
        public void Append(OpenXmlElement element) => writer.WriteElement(element);

        /// <param name="table">The table with its properties and grid, no rows yet.</param>
        public void AppendTable(Table table, IEnumerable<TableRow> rows)
        {
            writer.WriteStartElement(new Table());
            foreach (var child in table.ChildElements)
            {
                writer.WriteElement(child);
            }

            foreach (var row in rows)
            {
                writer.WriteElement(row);
            }

            writer.WriteEndElement();
        }
    }
}
