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

    /// <summary>The rollup was completed before; nothing changed.</summary>
    AlreadyRendered,

    /// <summary>A format could not be rendered: the rollup is now failed with the reason (or had failed before).</summary>
    Failed,

    /// <summary>The rollup does not exist or its sums are not stored yet.</summary>
    NotReady,
}

/// <param name="Formats">The stored formats (<c>html</c>, <c>md</c>, <c>docx</c>, <c>xlsx</c>).</param>
/// <param name="Error">Why the rollup failed, when it did.</param>
public sealed record ReportPublicationResult(ReportPublicationStatus Status, IReadOnlyList<string> Formats, string? Error = null);

/// <summary>
/// Renders a rendering rollup's consolidated report in every output format, then stores every format and marks the
/// rollup completed in one transaction; a format that cannot be rendered marks the rollup failed with the reason
/// instead. The report is dated with the time the sums were stored, so rendering the same rollup again gives the
/// same text.
/// </summary>
public sealed class ReportPublication(
    RollupRepository rollups,
    PeriodRepository periods,
    UnitRepository units,
    SubmissionRepository submissions,
    ExpectedUnits expectedUnits,
    ReportRenderer renderer,
    FormCatalog catalog)
{
    public async Task<ReportPublicationResult> PublishAsync(Guid rollupId, CancellationToken cancellationToken)
    {
        var rollup = await rollups.GetAsync(rollupId, cancellationToken);
        var wanted = ReportOutputFormats.All.Select(ReportFormats.StorageName).ToList();
        if (rollup?.Status == RollupStatus.Completed)
        {
            return new ReportPublicationResult(ReportPublicationStatus.AlreadyRendered, wanted);
        }

        if (rollup?.Status == RollupStatus.Failed)
        {
            return new ReportPublicationResult(ReportPublicationStatus.Failed, [], rollup.Error);
        }

        if (rollup is not { Status: RollupStatus.Rendering, ComputedAt: { } computedAt })
        {
            return new ReportPublicationResult(ReportPublicationStatus.NotReady, []);
        }

        var rendered = await RenderAllAsync(rollup, computedAt, cancellationToken);
        if (rendered.Error is { } error)
        {
            // A template that fails once fails on every redelivery: retrying would only hide the reason.
            await rollups.FailAsync(rollupId, RollupFailure.RenderFailed, error, cancellationToken);
            return new ReportPublicationResult(ReportPublicationStatus.Failed, [], error);
        }

        if (await rollups.CompleteWithReportsAsync(rollupId, rendered.Reports, cancellationToken))
        {
            return new ReportPublicationResult(ReportPublicationStatus.Rendered, wanted);
        }

        // Completed by another delivery meanwhile, or failed (interrupted, retried by ops) while this one rendered.
        return await rollups.GetHeaderAsync(rollupId, cancellationToken) switch
        {
            { Status: RollupStatus.Completed } => new ReportPublicationResult(ReportPublicationStatus.AlreadyRendered, wanted),
            { Status: RollupStatus.Failed } failed => new ReportPublicationResult(ReportPublicationStatus.Failed, [], failed.Error),
            _ => new ReportPublicationResult(ReportPublicationStatus.NotReady, []),
        };
    }

    private const int SideBySideUnits = 500;

    private sealed record Rendered(IReadOnlyList<(string Format, string Content)> Reports, string? Error);

    private async Task<Rendered> RenderAllAsync(Rollup rollup, DateTimeOffset computedAt, CancellationToken cancellationToken)
    {
        ReportInput input;
        try
        {
            input = await BuildInputAsync(rollup, computedAt, cancellationToken);
        }
        catch (Exception exception) when (exception is ArgumentException or KeyNotFoundException or InvalidOperationException)
        {
            return new Rendered([], $"汇总报告的数据无法组织：{exception.Message}");
        }

        // The formats render side by side (the renderer is thread-safe): the time from rollup to downloadable report
        // is what the district office waits for. The templated formats go first: only they can fail on the office's
        // templates, and a failure is reported without waiting for the Word and Excel files.
        // Each binary format holds its whole document package while it is written, so past a few hundred units they
        // are written one after the other: their memory peaks do not add up.
        var outputs = new List<(string Format, string? Content, string? Error)>();
        var large = input.IncludedUnits.Count > SideBySideUnits;
        foreach (var batch in ReportOutputFormats.All.GroupBy(output => output.IsBinary()).OrderBy(group => group.Key))
        {
            if (batch.Key && large)
            {
                foreach (var output in batch)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    outputs.Add(await Task.Run(() => RenderOne(input, output), cancellationToken));
                }
            }
            else
            {
                outputs.AddRange(await Task.WhenAll(batch.Select(output => Task.Run(() => RenderOne(input, output), cancellationToken))));
            }

            var failures = outputs.Where(o => o.Error is not null).Select(o => o.Error!).ToList();
            if (failures.Count > 0)
            {
                return new Rendered([], string.Join("；", failures));
            }
        }

        return new Rendered([.. outputs.Select(o => (o.Format, o.Content!))], null);
    }

    private (string Format, string? Content, string? Error) RenderOne(ReportInput input, ReportOutputFormat output)
    {
        var format = ReportFormats.StorageName(output);
        try
        {
            return (format, ReportFormats.ToStored(output, renderer.RenderFile(input, output)), null);
        }
        catch (Exception exception) when (exception is ReportTemplateException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            return (format, null, $"{format} 格式的汇总报告生成失败：{exception.Message}");
        }
    }

    private async Task<ReportInput> BuildInputAsync(Rollup rollup, DateTimeOffset computedAt, CancellationToken cancellationToken)
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
            GeneratedAt = computedAt,
            Values = values,
            IncludedUnits = [.. rollup.Inputs.Select(input => new IncludedUnit(input.UnitCode, NameOf(input.UnitCode), input.Version))],
            Breakdown = await BreakdownAsync(form, rollup, cancellationToken),
            MissingUnits = [.. rollup.Exclusions
                .Where(e => e.Reason is ExclusionReason.Missing or ExclusionReason.Pending)
                .Select(e => new MissingUnit(e.UnitCode, NameOf(e.UnitCode)))],
            RejectedUnits = await RejectedUnitsAsync(rollup, NameOf, cancellationToken),
            RollupViolations = [.. RuleEvaluator.Evaluate(table).Select(ReportViolation.From)],
        };
    }

    /// <summary>
    /// The per-unit breakdown of exactly the versions the rollup summed, gathered as their cells stream from the
    /// database: memory grows with the units' key figures, not with their cells.
    /// </summary>
    private async Task<UnitBreakdown> BreakdownAsync(FormDefinition form, Rollup rollup, CancellationToken cancellationToken)
    {
        var breakdown = new UnitBreakdown(form, [.. rollup.Inputs.Select(input => input.UnitCode)]);
        await foreach (var cell in rollups.StreamInputCellsAsync(rollup.Id, cancellationToken))
        {
            breakdown.Add(cell.UnitCode, cell.CellId, cell.Value);
        }

        return breakdown;
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
