using Aggregator.Application.Results;
using Aggregator.Core.Forms;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Submissions;

namespace Aggregator.Application.Reviews;

/// <summary>A cell whose value differs between two versions; a blank cell is null.</summary>
/// <param name="Label">The printed row and column of the cell, when the form knows the cell.</param>
public sealed record ChangedCell(string CellId, string? Label, decimal? Old, decimal? New, string? OldRaw, string? NewRaw);

public sealed record VersionDiff(Guid SubmissionId, string UnitCode, int From, int To, IReadOnlyList<ChangedCell> Changes);

/// <summary>What changed between two versions of one submission, cell by cell, in the form's printed order.</summary>
public sealed class SubmissionDiff(SubmissionRepository submissions, PeriodRepository periods, FormCatalog catalog)
{
    public async Task<Result<VersionDiff>> CompareAsync(Guid submissionId, int from, int to, CancellationToken cancellationToken)
    {
        var older = await submissions.GetAsync(submissionId, from, cancellationToken);
        var newer = await submissions.GetAsync(submissionId, to, cancellationToken);
        if (older is null || newer is null)
        {
            return Problem.NotFound(older is null ? $"报表 {submissionId} 的第 {from} 版" : $"报表 {submissionId} 的第 {to} 版");
        }

        var form = await periods.GetAsync(older.PeriodId, cancellationToken) is { } period && catalog.TryGet(period.FormId, out var found) ? found : null;
        var before = await submissions.GetCellsAsync(submissionId, from, cancellationToken);
        var after = await submissions.GetCellsAsync(submissionId, to, cancellationToken);
        return new VersionDiff(submissionId, older.UnitCode, from, to, Compare(form, before, after));
    }

    /// <summary>The cells whose normalised value differs (a cell missing on one side counts as blank there).</summary>
    public static IReadOnlyList<ChangedCell> Compare(FormDefinition? form, IReadOnlyList<CellValue> before, IReadOnlyList<CellValue> after)
    {
        var old = before.ToDictionary(c => c.CellId, StringComparer.Ordinal);
        var @new = after.ToDictionary(c => c.CellId, StringComparer.Ordinal);
        var changes = new List<(int Order, ChangedCell Cell)>();
        foreach (var id in old.Keys.Union(@new.Keys, StringComparer.Ordinal))
        {
            var was = old.GetValueOrDefault(id);
            var now = @new.GetValueOrDefault(id);
            if (was?.Value == now?.Value)
            {
                continue;
            }

            CellDefinition? cell = null;
            var known = form is not null && form.TryGetCell(id, out cell);
            changes.Add((known ? cell!.Index : int.MaxValue, new ChangedCell(id, cell?.Label, was?.Value, now?.Value, was?.RawText, now?.RawText)));
        }

        return [.. changes.OrderBy(c => c.Order).ThenBy(c => c.Cell.CellId, StringComparer.Ordinal).Select(c => c.Cell)];
    }
}
