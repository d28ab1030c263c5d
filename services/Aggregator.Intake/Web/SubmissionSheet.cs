using Aggregator.Application.Validation;
using Aggregator.Core.Forms;
using Aggregator.Reporting.Model;

namespace Aggregator.Intake.Web;

/// <summary>A unit's tables in the printed national layout, with each failing rule numbered and its cells marked.</summary>
public sealed class SubmissionSheet
{
    private readonly Dictionary<string, List<int>> _marks = new(StringComparer.Ordinal);

    /// <param name="validated">False while the version waits for validation: no verdict is shown yet.</param>
    public SubmissionSheet(FormDefinition form, IReadOnlyDictionary<string, decimal?> values, IReadOnlyList<ViolationView> violations, bool validated = true)
    {
        Violations = violations;
        IsValidated = validated;
        for (var i = 0; i < violations.Count; i++)
        {
            foreach (var cell in violations[i].Cells.Keys)
            {
                if (!_marks.TryGetValue(cell, out var list))
                {
                    _marks[cell] = list = [];
                }

                list.Add(i + 1);
            }
        }

        Tables = PrintedTables.Of(form, cell => values.TryGetValue(cell.Id, out var value) ? value : null);
    }

    public IReadOnlyList<TableModel> Tables { get; }

    /// <summary>Cells whose reading needs checking (a Word report's), numbered 疑1, 疑2… in this order, with the reason.</summary>
    public IReadOnlyList<(string CellId, string Reason)> Doubts { get; init; } = [];

    /// <summary>The number and reason of a cell's doubt, or null when the cell is sure.</summary>
    public (int Number, string Reason)? DoubtOf(string cellId)
    {
        for (var i = 0; i < Doubts.Count; i++)
        {
            if (Doubts[i].CellId == cellId)
            {
                return (i + 1, Doubts[i].Reason);
            }
        }

        return null;
    }

    public bool IsValidated { get; }

    /// <summary>The failing rules; a rule's number on the page is its position here plus one.</summary>
    public IReadOnlyList<ViolationView> Violations { get; }

    /// <summary>The numbers of the failing rules that involve a cell; empty when none does.</summary>
    public IReadOnlyList<int> MarksOf(string cellId) => _marks.TryGetValue(cellId, out var list) ? list : [];

    /// <summary>Whether an error (not only a warning) involves the cell.</summary>
    public bool IsErrorCell(string cellId) => MarksOf(cellId).Any(n => Violations[n - 1].IsError);

    /// <summary>The rules that involve any cell of the table, with their numbers, for the notes beside it.</summary>
    public IReadOnlyList<(int Number, ViolationView Violation)> ViolationsOf(TableModel table)
    {
        var ids = table.Rows.SelectMany(r => r.Cells).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        return [.. Violations.Select((v, i) => (i + 1, v)).Where(x => x.v.Cells.Keys.Any(ids.Contains))];
    }

    /// <summary>Rules with no cell on any table (for example a reading problem of the whole file).</summary>
    public IReadOnlyList<(int Number, ViolationView Violation)> Unplaced()
    {
        var ids = Tables.SelectMany(t => t.Rows).SelectMany(r => r.Cells).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        return [.. Violations.Select((v, i) => (i + 1, v)).Where(x => !x.v.Cells.Keys.Any(ids.Contains))];
    }
}
