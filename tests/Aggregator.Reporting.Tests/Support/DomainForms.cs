using System.Text.Json;

namespace Aggregator.Reporting.Tests.Support;

/// <summary>
/// The printed labels as written in the shared domain's forms.json — the reference the embedded form files were
/// made from — so a test compares the report with the form, not with the code that printed it.
/// </summary>
public sealed class DomainForms
{
    private readonly JsonElement _forms;

    private DomainForms(JsonElement forms) => _forms = forms;

    public static DomainForms Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(DomainFolder.File("forms.json")));
        return new DomainForms(document.RootElement.Clone());
    }

    public JsonElement Table(string formatId, string tableId)
    {
        foreach (var form in Forms())
        {
            if (form.GetProperty("id").GetString() == formatId)
            {
                return form.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("id").GetString() == tableId);
            }
        }

        throw new KeyNotFoundException($"{formatId}.{tableId}");
    }

    public IReadOnlyList<string> TableIds(string formatId) =>
        [.. Forms().Single(f => f.GetProperty("id").GetString() == formatId).GetProperty("tables").EnumerateArray().Select(t => t.GetProperty("id").GetString()!)];

    public static IReadOnlyList<(string Id, string Label, bool HasCells)> Rows(JsonElement table) =>
        [.. table.GetProperty("rows").EnumerateArray().Select(r => (
            r.GetProperty("id").GetString()!,
            r.GetProperty("label").GetString()!,
            !r.TryGetProperty("has_cells", out var cells) || cells.GetBoolean()))];

    public static IReadOnlyList<(string Id, string Label, bool HasCells)> Columns(JsonElement table) =>
        [.. table.GetProperty("columns").EnumerateArray().Select(c => (
            c.GetProperty("id").GetString()!,
            c.GetProperty("label").GetString()!,
            !c.TryGetProperty("has_cells", out var cells) || cells.GetBoolean()))];

    /// <summary>The printed title row of a block of section 二 (第二十条第（一）项), or null.</summary>
    public static string? BlockTitle(JsonElement table)
    {
        var title = table.GetProperty("title").GetString()!;
        var separator = title.IndexOf(" / ", StringComparison.Ordinal);
        return separator < 0 ? null : title[(separator + 3)..];
    }

    public static string? PrintedNote(JsonElement table) =>
        table.TryGetProperty("note_printed", out var note) ? note.GetString() : null;

    private IEnumerable<JsonElement> Forms() => _forms.GetProperty("formats").EnumerateArray();
}
