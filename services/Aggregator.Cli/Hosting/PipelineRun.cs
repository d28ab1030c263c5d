using Aggregator.Application.Periods;
using Aggregator.Application.Reports;
using Aggregator.Application.Results;
using Aggregator.Application.Rollups;
using Aggregator.Application.Submissions;
using Aggregator.Application.Units;
using Aggregator.Core.Values;
using Aggregator.Storage;
using Aggregator.Storage.Units;

namespace Aggregator.Cli.Hosting;

/// <summary>One unit's document for a run.</summary>
/// <param name="Source">The text the document was read from, stored on import so that validation sees what the reader saw.</param>
public sealed record UnitDocument(string UnitCode, SubmissionDocument Document, string? Source = null);

/// <summary>What a run produced: the rollup, its rendered report, and what became of each submission.</summary>
public sealed record PipelineRunResult(RollupView Rollup, string Html, string Markdown, IReadOnlyDictionary<string, string> Outcomes, IReadOnlyList<(string UnitCode, Problem Problem)> Refused);

/// <summary>
/// Drives the embedded pipeline through a whole period: register the units, open the period, submit every
/// document, wait for validation, request the rollup, wait for its report.
/// </summary>
public sealed class PipelineRun(EmbeddedPipeline pipeline, IProgress<PipelineStep>? progress = null)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <param name="lenient">Store documents with unreadable values too, so validation lists them as rejected.</param>
    public async Task<PipelineRunResult> RunAsync(
        IReadOnlyList<UnitRegistration> units,
        string rootUnitCode,
        string formId,
        int year,
        IReadOnlyList<UnitDocument> documents,
        bool lenient,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var ct = deadline.Token;
        var actor = Actor.Cli;

        (await pipeline.Get<UnitRegistry>().UpsertAsync(units, actor, ct)).ThrowIfFailed("登记单位");
        var period = (await pipeline.Get<PeriodService>().OpenAsync(
            new OpenPeriodRequest(year, formId, rootUnitCode, new DateOnly(year + 1, 1, 31)), actor, ct)).ThrowIfFailed("开启填报期");

        var intake = pipeline.Get<SubmissionIntake>();
        var refused = new List<(string, Problem)>();
        var submitted = 0;
        foreach (var (unitCode, document, source) in documents)
        {
            var withCode = document with { UnitCode = unitCode };
            var result = lenient
                ? source is null
                    ? await intake.ImportAsync(period.Id, withCode, Submitter.Office(actor), ct)
                    : await intake.ImportAsync(period.Id, withCode, source, Submitter.Office(actor), ct)
                : await intake.SubmitAsync(period.Id, withCode, Submitter.Office(actor), false, ct);
            if (result.IsSuccess)
            {
                submitted++;
            }
            else
            {
                refused.Add((unitCode, result.Problem));
            }

            progress?.Report(new PipelineStep(PipelineStage.Submitting, submitted + refused.Count, documents.Count));
        }

        var outcomes = await WaitForValidationAsync(period.Id, submitted, ct);
        var rollupId = (await pipeline.Get<RollupRequests>().RequestAsync(period.Id, null, actor, ct)).ThrowIfFailed("请求汇总").RollupId;
        progress?.Report(new PipelineStep(PipelineStage.RollingUp, 0, 1));
        var html = await WaitForReportAsync(rollupId, ReportFormat.Html, ct);
        var markdown = await WaitForReportAsync(rollupId, ReportFormat.Markdown, ct);
        var rollup = (await pipeline.Get<RollupQuery>().GetAsync(rollupId, ct))!;
        progress?.Report(new PipelineStep(PipelineStage.Done, 1, 1));
        return new PipelineRunResult(rollup, html, markdown, outcomes, refused);
    }

    private async Task<IReadOnlyDictionary<string, string>> WaitForValidationAsync(Guid periodId, int submitted, CancellationToken ct)
    {
        var completeness = pipeline.Get<CompletenessQuery>();
        while (true)
        {
            var view = (await completeness.GetAsync(periodId, ct))!;
            var validated = view.Units.Count(unit => unit.Status is not (CompletenessQuery.Missing or SubmissionStatus.Received));
            progress?.Report(new PipelineStep(PipelineStage.Validating, validated, submitted));
            if (validated >= submitted)
            {
                return view.Units.Where(unit => unit.Status != CompletenessQuery.Missing).ToDictionary(unit => unit.UnitCode, unit => unit.Status, StringComparer.Ordinal);
            }

            await Task.Delay(PollInterval, ct);
        }
    }

    private async Task<string> WaitForReportAsync(Guid rollupId, string format, CancellationToken ct)
    {
        var reports = pipeline.Get<ReportQuery>();
        var rollups = pipeline.Get<RollupQuery>();
        while (true)
        {
            var report = await reports.GetAsync(rollupId, format, ct);
            if (report.IsSuccess)
            {
                return report.Value.Content;
            }

            if ((await rollups.GetAsync(rollupId, ct))?.Status == RollupStatus.Failed)
            {
                throw new InvalidOperationException($"汇总失败：{(await rollups.GetAsync(rollupId, ct))?.Error}");
            }

            await Task.Delay(PollInterval, ct);
        }
    }
}

public enum PipelineStage
{
    Submitting,
    Validating,
    RollingUp,
    Done,
}

public readonly record struct PipelineStep(PipelineStage Stage, int Done, int Total);

internal static class ResultExtensions
{
    public static T ThrowIfFailed<T>(this Result<T> result, string what) =>
        result.IsSuccess ? result.Value : throw new InvalidOperationException($"{what}失败：{result.Problem.Detail}");
}
