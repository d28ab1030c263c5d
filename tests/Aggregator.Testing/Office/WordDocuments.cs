using System.Text.Json.Nodes;
using Aggregator.Core.Forms;
using Aggregator.Core.Values;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Aggregator.Testing.Office;

/// <summary>
/// A department's Word report for a submission document: a title, a paragraph, and each table of the form laid
/// out flat (the label column, then one column per cell column), the values written as text.
/// </summary>
public static class WordDocuments
{
    public const string MediaType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    /// <summary>The report of a submission document, under its own unit's name.</summary>
    public static byte[] From(SubmissionDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return From(JsonNode.Parse(document.ToJson())!.AsObject(), document.UnitName);
    }

    public static byte[] From(JsonObject document, string unitName = "测试部门U1") => From(document, unitName, []);

    /// <summary>The report with <paramref name="narrative"/>'s paragraphs under 一、总体情况, before the tables.</summary>
    public static byte[] From(JsonObject document, string unitName, IReadOnlyList<string> narrative)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(narrative);
        var form = FormCatalog.Default.Get(document["format_id"]!.GetValue<string>());
        var values = document["values"]!.AsObject();
        var body = new Body(
            Paragraph($"{unitName}{document["year"]}年政府信息公开工作年度报告"),
            Paragraph("一、总体情况"));
        foreach (var paragraph in narrative)
        {
            body.Append(Paragraph(paragraph));
        }

        foreach (var table in form.Tables)
        {
            body.Append(Paragraph(table.Title));
            var columns = table.Columns.Where(c => c.HasCells).ToList();
            var word = new Table(new TableGrid(Enumerable.Range(0, columns.Count + 1).Select(_ => new GridColumn { Width = "900" })));
            // A unit printed in the submission's column header is printed in the Word header too: 采购总金额（万元）.
            word.Append(Row(["信息内容", .. columns.Select(c => HeaderUnit(document, table, c.Id) is { } unit ? $"{c.Label}（{unit}）" : c.Label)]));
            foreach (var row in table.Rows.Where(r => r.HasCells))
            {
                word.Append(Row([row.Label, .. columns.Select(c => values[$"{table.Id}.{row.Id}.{c.Id}"]?.ToString() ?? "")]));
            }

            body.Append(word);
        }

        using var stream = new MemoryStream();
        using (var docx = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            docx.AddMainDocumentPart().Document = new Document(body);
        }

        return stream.ToArray();
    }

    private static string? HeaderUnit(JsonObject document, TableDefinition table, string columnId) =>
        document["units_from_header"]?.AsObject()
            .Where(u => u.Key.StartsWith(table.Id + ".", StringComparison.Ordinal) && u.Key.EndsWith("." + columnId, StringComparison.Ordinal))
            .Select(u => u.Value!.GetValue<string>())
            .FirstOrDefault();

    private static TableRow Row(IEnumerable<string> texts) => new(texts.Select(t => new TableCell(Paragraph(t))));

    private static Paragraph Paragraph(string text) => new(new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
}
