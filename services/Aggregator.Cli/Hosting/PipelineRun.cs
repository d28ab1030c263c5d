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
/// <param name="Docx">The Word document's bytes.</param>
/// <param name="Xlsx">The Excel workbook's bytes.</param>
public sealed record PipelineRunResult(
    RollupView Rollup,
    string Html,
    string Markdown,
    byte[] Docx,
    byte[] Xlsx,
    IReadOnlyDictionary<string, string> Outcomes,
    IReadOnlyList<(string UnitCode, Problem Problem)> Refused);

/// <summary>A run that could not finish: <see cref="Exception.Message"/> says why, in Chinese.</summary>
/// <param name="code">The rollup's stable failure code, when the rollup itself failed.</param>
public sealed class PipelineFailedException(string message, string? code = null) : Exception(message)
{
    public string? Code { get; } = code;
}

/// <summary>
/// Drives the embedded pipeline through a whole period: register the units, open the period, submit every
/// document, wait for validation, request the rollup, wait until it is completed or failed.
/// </summary>
public sealed class PipelineRun(EmbeddedPipeline pipeline, IProgress<PipelineStep>? progress = null)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <param name="lenient">Store documents with unreadable values too, so validation lists them as rejected.</param>
    /// <param name="timeout">The whole run's bound; past it the run fails with a message saying where it stood.</param>
    /// <exception cref="PipelineFailedException">The rollup failed (its reason and code), or the run timed out.</exception>
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
        var stage = PipelineStage.Submitting;
        Guid? rollupId = null;
        try
        {
            return await RunStagesAsync(units, rootUnitCode, formId, year, documents, lenient, s => stage = s, id => rollupId = id, deadline.Token);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && rollupId is { } interrupted)
        {
            // Told to stop: the rollup is marked failed with the reason rather than left requested for nobody; its
            // steps still running then find it failed and store nothing.
            await pipeline.Get<RollupFaults>().RecordInterruptionAsync(interrupted, CancellationToken.None);
            throw;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new PipelineFailedException($"等待超时：{timeout.TotalSeconds:0} 秒内没有完成（停在“{StageName(stage)}”阶段）。");
        }
    }

    private async Task<PipelineRunResult> RunStagesAsync(
        IReadOnlyList<UnitRegistration> units,
        string rootUnitCode,
        string formId,
        int year,
        IReadOnlyList<UnitDocument> documents,
        bool lenient,
        Action<PipelineStage> enter,
        Action<Guid> requested,
        CancellationToken ct)
    {
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

        enter(PipelineStage.Validating);
        var outcomes = await WaitForValidationAsync(period.Id, submitted, ct);
        var rollupId = (await pipeline.Get<RollupRequests>().RequestAsync(period.Id, null, actor, ct)).ThrowIfFailed("请求汇总").RollupId;
        requested(rollupId);
        enter(PipelineStage.RollingUp);
        progress?.Report(new PipelineStep(PipelineStage.RollingUp, 0, 1));
        await WaitForRollupAsync(rollupId, ct);
        var html = (await pipeline.Get<ReportQuery>().GetAsync(rollupId, ReportFormat.Html, ct)).ThrowIfFailed("读取 HTML 报告").Content;
        var markdown = (await pipeline.Get<ReportQuery>().GetAsync(rollupId, ReportFormat.Markdown, ct)).ThrowIfFailed("读取 Markdown 报告").Content;
        var docx = (await pipeline.Get<ReportQuery>().GetAsync(rollupId, ReportFormat.Docx, ct)).ThrowIfFailed("读取 Word 报告").File;
        var xlsx = (await pipeline.Get<ReportQuery>().GetAsync(rollupId, ReportFormat.Xlsx, ct)).ThrowIfFailed("读取 Excel 报告").File;
        var rollup = (await pipeline.Get<RollupQuery>().GetAsync(rollupId, ct))!;
        progress?.Report(new PipelineStep(PipelineStage.Done, 1, 1));
        return new PipelineRunResult(rollup, html, markdown, docx, xlsx, outcomes, refused);
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

    // The stored state is the one truth every failure ends in (a render error, a fault after retries), so waiting on
    // it sees a failure as soon as it is stored; the run's deadline bounds the wait.
    private async Task WaitForRollupAsync(Guid rollupId, CancellationToken ct)
    {
        var rollups = pipeline.Get<RollupQuery>();
        while (true)
        {
            var state = await rollups.GetStateAsync(rollupId, ct)
                ?? throw new PipelineFailedException($"汇总 {rollupId} 不存在。");
            switch (state.Status)
            {
                case RollupStatus.Completed:
                    return;
                case RollupStatus.Failed:
                    throw new PipelineFailedException($"汇总失败：{state.Error}", state.ErrorCode);
            }

            await Task.Delay(PollInterval, ct);
        }
    }

    private static string StageName(PipelineStage stage) => stage switch
    {
        PipelineStage.Submitting => "提交报表",
        PipelineStage.Validating => "校验报表",
        PipelineStage.RollingUp => "汇总并生成报告",
        _ => "完成",
    };
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
        result.IsSuccess ? result.Value : throw new PipelineFailedException($"{what}失败：{result.Problem.Detail}", result.Problem.Code);
}
