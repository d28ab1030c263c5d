using Aggregator.Application.Periods;
using Aggregator.Application.Rollups;
using Aggregator.Application.Validation;
using Aggregator.Core.Forms;
using Aggregator.Core.Rules;
using Aggregator.Core.Values;
using Aggregator.Reporting;
using Aggregator.Storage;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Reports;
using Aggregator.Storage.Rollups;
using Aggregator.Storage.Submissions;
using Aggregator.Storage.Units;

namespace Aggregator.Application.Reports;

public enum ReportPublicationStatus
{
    /// <summary>Rendered and stored now.</summary>
    Rendered,

    /// <summary>Every format was stored before; nothing changed.</summary>
    AlreadyRendered,

    /// <summary>The rollup does not exist or is not completed.</summary>
    NotReady,
}

/// <param name="Formats">The stored formats (<c>html</c>, <c>md</c>).</param>
public sealed record ReportPublicationResult(ReportPublicationStatus Status, IReadOnlyList<string> Formats);

/// <summary>
/// Renders a completed rollup's consolidated report in every output format and stores it. The report is dated
/// with the rollup's completion time, so rendering the same rollup again gives the same text.
/// </summary>
public sealed class ReportPublication(
    RollupRepository rollups,
    PeriodRepository periods,
    UnitRepository units,
    SubmissionRepository submissions,
    ExpectedUnits expectedUnits,
    ReportRepository reports,
    ReportRenderer renderer,
    FormCatalog catalog)
{
    public async Task<ReportPublicationResult> PublishAsync(Guid rollupId, CancellationToken cancellationToken)
    {
        var rollup = await rollups.GetAsync(rollupId, cancellationToken);
        if (rollup is not { Status: RollupStatus.Completed, CompletedAt: { } completedAt })
        {
            return new ReportPublicationResult(ReportPublicationStatus.NotReady, []);
        }

        var wanted = ReportOutputFormats.All.Select(ReportFormats.StorageName).ToList();
        var existing = await reports.ListFormatsAsync(rollupId, cancellationToken);
        if (wanted.All(existing.Contains))
        {
            return new ReportPublicationResult(ReportPublicationStatus.AlreadyRendered, wanted);
        }

        var input = await BuildInputAsync(rollup, completedAt, cancellationToken);
        // The formats render side by side (the renderer is thread-safe), and each is stored as soon as it is ready:
        // the time from rollup to downloadable report is what the district office waits for.
        await Task.WhenAll(ReportOutputFormats.All.Select(output => Task.Run(
            async () => await reports.SaveAsync(rollupId, ReportFormats.StorageName(output), renderer.Render(input, output), cancellationToken),
            cancellationToken)));

        return new ReportPublicationResult(ReportPublicationStatus.Rendered, wanted);
    }

    private async Task<ReportInput> BuildInputAsync(Rollup rollup, DateTimeOffset completedAt, CancellationToken cancellationToken)
    {
        var period = await periods.GetAsync(rollup.PeriodId, cancellationToken)
            ?? throw new InvalidOperationException($"Rollup {rollup.Id} refers to period {rollup.PeriodId}, which does not exist.");
        var form = catalog.Get(period.FormId);
        var names = await expectedUnits.GetAsync(rollup.PeriodId, cancellationToken);
        var node = await units.GetAsync(rollup.UnitCode, cancellationToken);
        string NameOf(string code) => names.GetValueOrDefault(code, code);

        var values = rollup.Values.ToDictionary(value => value.CellId, value => value.Value, StringComparer.Ordinal);
        var table = NormalizedTable.FromValues(form, values);
        return new ReportInput
        {
            FormatId = period.FormId,
            Year = period.Year,
            UnitName = node?.Name ?? rollup.UnitCode,
            GeneratedAt = completedAt,
            Values = values,
            IncludedUnits = await IncludedUnitsAsync(rollup, NameOf, cancellationToken),
            MissingUnits = [.. rollup.Exclusions
                .Where(e => e.Reason is ExclusionReason.Missing or ExclusionReason.Pending)
                .Select(e => new MissingUnit(e.UnitCode, NameOf(e.UnitCode)))],
            RejectedUnits = await RejectedUnitsAsync(rollup, NameOf, cancellationToken),
            RollupViolations = [.. RuleEvaluator.Evaluate(table).Select(ReportViolation.From)],
        };
    }

    /// <summary>The per-unit values of exactly the versions the rollup summed.</summary>
    private async Task<IReadOnlyList<IncludedUnit>> IncludedUnitsAsync(Rollup rollup, Func<string, string> nameOf, CancellationToken cancellationToken)
    {
        // One query gives the current accepted versions; only a unit accepted anew since the rollup needs its own read.
        var current = (await rollups.LoadInputsAsync(rollup.PeriodId, rollup.UnitCode, cancellationToken)).Units
            .ToDictionary(unit => unit.UnitCode, StringComparer.Ordinal);
        var included = new List<IncludedUnit>(rollup.Inputs.Count);
        foreach (var input in rollup.Inputs)
        {
            var cells = current.TryGetValue(input.UnitCode, out var unit) && unit.AcceptedVersion == input.Version
                ? unit.AcceptedCells
                : await submissions.GetCellsAsync(input.SubmissionId, input.Version, cancellationToken);
            included.Add(new IncludedUnit(
                input.UnitCode,
                nameOf(input.UnitCode),
                input.Version,
                cells.ToDictionary(cell => cell.CellId, cell => cell.Value, StringComparer.Ordinal)));
        }

        return included;
    }

    private async Task<IReadOnlyList<RejectedUnit>> RejectedUnitsAsync(Rollup rollup, Func<string, string> nameOf, CancellationToken cancellationToken)
    {
        var rejected = new List<RejectedUnit>();
        foreach (var exclusion in rollup.Exclusions.Where(e => e.Reason == ExclusionReason.Rejected))
        {
            var rejection = Rejection.FromJson(exclusion.RulesJson);
            IReadOnlyList<ReportViolation> violations = [];
            if (rejection.Version is { } version
                && await submissions.FindAsync(rollup.PeriodId, exclusion.UnitCode, cancellationToken) is { } submission
                && await submissions.GetAsync(submission.Id, version, cancellationToken) is { } stored)
            {
                violations = [.. ViolationView.FromJson(stored.ViolationsJson)
                    .Select(v => new ReportViolation(v.Rule, WireNames.ParseSeverity(v.Severity), v.Message))];
            }

            rejected.Add(new RejectedUnit(exclusion.UnitCode, nameOf(exclusion.UnitCode), rejection.Version, violations));
        }

        return rejected;
    }
}
