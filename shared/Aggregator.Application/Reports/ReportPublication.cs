using Aggregator.Application.CrossYear;
using Aggregator.Application.Periods;
using Aggregator.Application.Rollups;
using Aggregator.Application.Telemetry;
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
/// Renders a rendering rollup's consolidated report in every output format and stores it: the public HTML report as
/// soon as it is rendered (it can be read from then on), the others with the completion of the rollup (one by one for a
/// large rollup); a format that cannot be rendered marks the rollup failed with the reason instead. The report is dated
/// with the time the sums were stored, so rendering the same rollup again gives the same text.
/// </summary>
public sealed class ReportPublication(
    RollupRepository rollups,
    PeriodRepository periods,
    UnitRepository units,
    SubmissionRepository submissions,
    ReportRenderer renderer,
    FormCatalog catalog,
    AggregatorMetrics metrics,
    TimeProvider time,
    PreviousYearData previousYear,
    ReportTextService texts,
    Storage.ReportTexts.ReportTextRepository received)
{
    public async Task<ReportPublicationResult> PublishAsync(Guid rollupId, CancellationToken cancellationToken)
    {
        var rollup = await rollups.GetAsync(rollupId, cancellationToken);
        var wanted = Editions.SelectMany(edition => ReportOutputFormats.All.Select(output => ReportFormats.StorageName(output, edition))).ToList();
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
            if (await rollups.FailAsync(rollupId, RollupFailure.RenderFailed, error, cancellationToken))
                metrics.RollupFinished(time.GetUtcNow() - rollup.RequestedAt, RollupFailure.RenderFailed);
            return new ReportPublicationResult(ReportPublicationStatus.Failed, [], error);
        }

        if (rendered.StillRendering && await rollups.CompleteWithReportsAsync(rollupId, rendered.Reports, cancellationToken))
        {
            metrics.RollupFinished(time.GetUtcNow() - rollup.RequestedAt, errorCode: null);
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

    private static readonly ReportEdition[] Editions = [ReportEdition.Public, ReportEdition.Internal];

    private const int SideBySideUnits = 500;

    /// <param name="Reports">The formats still to be stored with the completion.</param>
    /// <param name="StillRendering">False when the rollup stopped rendering (completed or failed elsewhere) meanwhile.</param>
    private sealed record Rendered(IReadOnlyList<(string Format, string Content)> Reports, string? Error, bool StillRendering = true);

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

        // The public HTML report is what the district office opens first: it is rendered alone and stored at once, so
        // it can be read while the other formats are written. The templated formats come next: only they can fail on
        // the office's templates, and a failure is reported without waiting for the Word and Excel files.
        if (await RenderAndStoreAsync(rollup, input with { Edition = ReportEdition.Public }, ReportOutputFormat.Html, cancellationToken) is { } early)
        {
            return early;
        }

        metrics.RollupReadable(time.GetUtcNow() - rollup.RequestedAt);

        // Each output holds its own report model, script objects and text (or document package) while it is written,
        // so past a few hundred units they are written and stored one after the other: their memory peaks do not add
        // up, and none is held until the last is done. A district's render side by side (the renderer is thread-safe)
        // and are stored together with the completion.
        var large = input.IncludedUnits.Count + input.MissingUnits.Count + input.RejectedUnits.Count > SideBySideUnits;
        var outputs = new List<(string Format, string Content)>();
        var jobs = Editions.SelectMany(edition => ReportOutputFormats.All.Select(output => (Edition: edition, Output: output)))
            .Where(job => job is not { Edition: ReportEdition.Public, Output: ReportOutputFormat.Html });
        foreach (var batch in jobs.GroupBy(job => job.Output.IsBinary()).OrderBy(group => group.Key))
        {
            if (large)
            {
                foreach (var job in batch)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (await RenderAndStoreAsync(rollup, input with { Edition = job.Edition }, job.Output, cancellationToken) is { } stopped)
                    {
                        return stopped;
                    }
                }
            }
            else
            {
                var rendered = await Task.WhenAll(batch.Select(job => Task.Run(() => RenderOne(input with { Edition = job.Edition }, job.Output), cancellationToken)));
                var failures = rendered.Where(o => o.Error is not null).Select(o => o.Error!).ToList();
                if (failures.Count > 0)
                {
                    return new Rendered([], string.Join("；", failures));
                }

                outputs.AddRange(rendered.Select(o => (o.Format, o.Content!)));
            }
        }

        return new Rendered(outputs, null);
    }

    /// <summary>Renders one format and stores it ahead of the completion; null once it is stored, else why the rendering
    /// stops. The text lives only in this call, so it is released before the next format is rendered.</summary>
    private async Task<Rendered?> RenderAndStoreAsync(Rollup rollup, ReportInput input, ReportOutputFormat output, CancellationToken cancellationToken)
    {
        var (format, content, error) = await Task.Run(() => RenderOne(input, output), cancellationToken);
        if (error is not null)
        {
            return new Rendered([], error);
        }

        return await rollups.StoreReportAsync(rollup.Id, format, content!, cancellationToken) ? null : new Rendered([], null, StillRendering: false);
    }

    private (string Format, string? Content, string? Error) RenderOne(ReportInput input, ReportOutputFormat output)
    {
        var format = ReportFormats.StorageName(output, input.Edition);
        try
        {
            // Text is stored as rendered: going through its UTF-8 bytes would hold two more copies of it.
            return (format, output.IsBinary() ? ReportFormats.ToStored(output, renderer.RenderFile(input, output)) : renderer.Render(input, output), null);
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
        // The subtree's own units name every unit the report lists; the period's whole set, which a district of 10⁵
        // units makes tens of megabytes, is not needed for a rollup of a few thousand.
        var subtree = await rollups.LoadUnitsAsync(rollup.PeriodId, rollup.UnitCode, cancellationToken);
        var names = subtree.Units.ToDictionary(unit => unit.UnitCode, unit => unit.Name, StringComparer.Ordinal);
        var node = await units.GetAsync(rollup.UnitCode, cancellationToken);
        string NameOf(string code) => names.GetValueOrDefault(code, code);

        var values = rollup.Values.ToDictionary(value => value.CellId, value => value.Value, StringComparer.Ordinal);
        var table = NormalizedTable.FromValues(form, values);
        var receivedAt = await received.GetReceivedTimesAsync(rollup.Id, cancellationToken);
        var lastYear = await previousYear.ForReportAsync(rollup.PeriodId, rollup.UnitCode, cancellationToken);
        var tree = new RollupTree(rollup.UnitCode, subtree.Units.Select(unit => (unit.UnitCode, unit.ParentCode)));
        var (breakdownRows, breakdown) = tree.HasInnerNodes
            ? await ChildBreakdownAsync(form, rollup, tree, NameOf, cancellationToken)
            : (null, await BreakdownAsync(form, rollup, cancellationToken));
        return new ReportInput
        {
            FormatId = period.FormId,
            Year = period.Year,
            UnitName = node?.Name ?? rollup.UnitCode,
            GeneratedAt = computedAt,
            Values = values,
            // Only the year-over-year annex compares each unit's own cells; without last year's data none is loaded.
            IncludedUnits = lastYear is null
                ? [.. rollup.Inputs.Select(input => new IncludedUnit(input.UnitCode, NameOf(input.UnitCode), input.Version)
                    {
                        SubmittedAt = receivedAt.TryGetValue(input.UnitCode, out var at) ? at : null,
                    })]
                : await IncludedUnitsWithValuesAsync(rollup, NameOf, receivedAt, cancellationToken),
            Breakdown = breakdown,
            BreakdownRows = breakdownRows,
            CompletenessRows = tree.HasInnerNodes ? ChildCompleteness(rollup, tree, NameOf) : null,
            MissingUnits = [.. rollup.Exclusions
                .Where(e => e.Reason is ExclusionReason.Missing or ExclusionReason.Pending)
                .Select(e => new MissingUnit(e.UnitCode, NameOf(e.UnitCode)))],
            RejectedUnits = await RejectedUnitsAsync(rollup, NameOf, cancellationToken),
            RollupViolations = [.. RuleEvaluator.Evaluate(table).Select(ReportViolation.From)],
            PreviousYear = lastYear,
            DueDate = period.DueDate,
        }.WithText(await texts.GetTextAsync(period.Id, cancellationToken));
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

    /// <summary>
    /// The breakdown of a rollup over inner nodes: one row per direct child of the root that holds a summed version
    /// (and the root's own version first, when it reported itself). A child that is a node is its subtree's sum, read
    /// from the split the build stored or else added in the core's fixed-point arithmetic as the cells stream by; a
    /// child that is a unit is its own version, its cells taken as they stream by. Memory grows with the nodes among
    /// the children and the units' key figures, not with the units' cells.
    /// </summary>
    private async Task<(IReadOnlyList<BreakdownRow>, UnitBreakdown)> ChildBreakdownAsync(
        FormDefinition form, Rollup rollup, RollupTree tree, Func<string, string> nameOf, CancellationToken cancellationToken)
    {
        var root = rollup.UnitCode;
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var input in rollup.Inputs)
        {
            if (tree.ChildOf(root, input.UnitCode) is { } child)
            {
                counts[child] = counts.GetValueOrDefault(child) + 1;
            }
        }

        var order = (counts.ContainsKey(root) ? new[] { root } : []).Concat(tree.Children(root).Where(counts.ContainsKey)).ToList();
        var breakdown = new UnitBreakdown(form, [.. order]);
        bool IsNode(string code) => tree.IsInner(code) && code != root;
        var sums = order.Where(IsNode).ToDictionary(code => code, _ => new Core.Summation.CellTotal?[form.Cells.Count], StringComparer.Ordinal);
        // The split the build stored: since it is stored for the nodes only, a unit's cells always stream; a rollup
        // built before any split was stored (or with every child stored) is read the same way.
        var split = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in await rollups.GetChildValuesAsync(rollup.Id, cancellationToken))
        {
            if (!counts.ContainsKey(value.ChildCode) || !form.TryGetCell(value.CellId, out var definition))
            {
                throw new InvalidOperationException($"Stored child {value.ChildCode} or cell {value.CellId} is not of rollup {rollup.Id}'s tree and format.");
            }

            split.Add(value.ChildCode);
            var cells = sums.TryGetValue(value.ChildCode, out var node) ? node : sums[value.ChildCode] = new Core.Summation.CellTotal?[form.Cells.Count];
            (cells[definition.Index] ??= new Core.Summation.CellTotal()).Add(value.Value);
        }

        if (order.Any(code => !split.Contains(code)))
        {
            await foreach (var cell in rollups.StreamInputCellsAsync(rollup.Id, cancellationToken))
            {
                if (tree.ChildOf(root, cell.UnitCode) is not { } child || !form.TryGetCell(cell.CellId, out var definition))
                {
                    throw new InvalidOperationException($"Summed unit {cell.UnitCode} or cell {cell.CellId} is not of rollup {rollup.Id}'s tree and format.");
                }

                if (split.Contains(child))
                {
                    continue;
                }

                if (sums.TryGetValue(child, out var node))
                {
                    (node[definition.Index] ??= new Core.Summation.CellTotal()).Add(cell.Value);
                }
                else
                {
                    // Through the core's arithmetic as a node's sums are, so a unit's value prints as it would in a total.
                    var own = new Core.Summation.CellTotal();
                    own.Add(cell.Value);
                    breakdown.Add(child, cell.CellId, own.Value);
                }
            }
        }

        foreach (var (code, cells) in sums)
        {
            foreach (var cell in form.Cells)
            {
                if (cells[cell.Index] is { } total)
                {
                    breakdown.Add(code, cell.Id, total.Value);
                }
            }
        }

        var versions = rollup.Inputs.ToDictionary(input => input.UnitCode, input => input.Version, StringComparer.Ordinal);
        var rows = order
            .Select(code => IsNode(code)
                ? new BreakdownRow(code, nameOf(code), null, counts[code])
                : new BreakdownRow(code, nameOf(code), versions[code], 1))
            .ToList();
        return (rows, breakdown);
    }

    /// <summary>
    /// The completeness annex of a rollup over inner nodes: the same rows as <see cref="ChildBreakdownAsync"/> (the
    /// root's own version first, then the direct children), each counting its subtree's summed, rejected and missing units.
    /// </summary>
    private static List<CompletenessRow> ChildCompleteness(Rollup rollup, RollupTree tree, Func<string, string> nameOf)
    {
        var root = rollup.UnitCode;
        var counts = new Dictionary<string, (int Included, int Rejected, int Missing)>(StringComparer.Ordinal);
        void Count(string unitCode, int included, int rejected, int missing)
        {
            if (tree.ChildOf(root, unitCode) is { } child)
            {
                var (i, r, m) = counts.GetValueOrDefault(child);
                counts[child] = (i + included, r + rejected, m + missing);
            }
        }

        foreach (var input in rollup.Inputs)
        {
            Count(input.UnitCode, 1, 0, 0);
        }

        foreach (var exclusion in rollup.Exclusions)
        {
            if (exclusion.Reason == ExclusionReason.Rejected)
            {
                Count(exclusion.UnitCode, 0, 1, 0);
            }
            else if (exclusion.Reason is ExclusionReason.Missing or ExclusionReason.Pending)
            {
                Count(exclusion.UnitCode, 0, 0, 1);
            }
        }

        var order = (counts.ContainsKey(root) ? new[] { root } : []).Concat(tree.Children(root).Where(counts.ContainsKey));
        return [.. order.Select(code => new CompletenessRow(
            code, nameOf(code), tree.IsInner(code) && code != root, counts[code].Included, counts[code].Rejected, counts[code].Missing))];
    }

    /// <summary>The per-unit values of exactly the versions the rollup summed, for the year-over-year comparison.</summary>
    private async Task<IReadOnlyList<IncludedUnit>> IncludedUnitsWithValuesAsync(
        Rollup rollup, Func<string, string> nameOf, IReadOnlyDictionary<string, DateTimeOffset> receivedAt, CancellationToken cancellationToken)
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
                cells.ToDictionary(cell => cell.CellId, cell => cell.Value, StringComparer.Ordinal))
            {
                SubmittedAt = receivedAt.TryGetValue(input.UnitCode, out var at) ? at : null,
            });
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
            DateTimeOffset? submittedAt = null;
            if (rejection.Version is { } version
                && await submissions.FindAsync(rollup.PeriodId, exclusion.UnitCode, cancellationToken) is { } submission
                && await submissions.GetAsync(submission.Id, version, cancellationToken) is { } stored)
            {
                violations = [.. ViolationView.FromJson(stored.ViolationsJson)
                    .Select(v => new ReportViolation(v.Rule, WireNames.ParseSeverity(v.Severity), v.Message))];
                submittedAt = stored.ReceivedAt;
            }

            rejected.Add(new RejectedUnit(exclusion.UnitCode, nameOf(exclusion.UnitCode), rejection.Version, violations) { SubmittedAt = submittedAt });
        }

        return rejected;
    }
}
