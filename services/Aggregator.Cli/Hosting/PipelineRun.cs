using Aggregator.Application.Periods;
using Aggregator.Application.Reports;
using Aggregator.Application.Results;
using Aggregator.Application.Rollups;
using Aggregator.Application.Submissions;
using Aggregator.Application.Units;
using Aggregator.Core.Values;
using Aggregator.Storage;
using Aggregator.Storage.Submissions;
using Aggregator.Storage.Units;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Cli.Hosting;

/// <summary>One unit's document for a run.</summary>
/// <param name="Source">The text the document was read from, stored on import so that validation sees what the reader saw.</param>
public sealed record UnitDocument(string UnitCode, SubmissionDocument Document, string? Source = null);

/// <summary>Last year's documents, stored and validated as the period of the year before, before this year's.</summary>
public sealed record PreviousYearRun(string FormId, int Year, IReadOnlyList<UnitDocument> Documents);

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
    IReadOnlyList<(string UnitCode, Problem Problem)> Refused)
{
    /// <summary>The internal edition (every annex); the positional files are the public edition.</summary>
    public RenderedEdition? Internal { get; init; }

    /// <summary>The totals split by the direct children of the rollup's root (rollup.json's <c>children</c>).</summary>
    public IReadOnlyList<RollupChild> Children { get; init; } = [];
}

/// <summary>One edition of the report in every output format.</summary>
public sealed record RenderedEdition(string Html, string Markdown, byte[] Docx, byte[] Xlsx);

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
public sealed class PipelineRun(IServiceProvider services, IProgress<PipelineStep>? progress = null)
{
    public PipelineRun(EmbeddedPipeline pipeline, IProgress<PipelineStep>? progress = null)
        : this(pipeline.Services, progress)
    {
    }

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    private static readonly TimeSpan LongestPollInterval = TimeSpan.FromMilliseconds(200);

    private const int SubmitBatchSize = 100;

    /// <summary>The office's text, stored for the period before the rollup so that its report carries it.</summary>
    public Aggregator.Reporting.ReportText? Text { get; init; }

    /// <param name="lenient">Store documents with unreadable values too, so validation lists them as rejected.</param>
    /// <param name="timeout">The whole run's bound; past it the run fails with a message saying where it stood.</param>
    /// <param name="dueDate">The period's due date; 31 January of the next year by default.</param>
    /// <exception cref="PipelineFailedException">The rollup failed (its reason and code), or the run timed out.</exception>
    public async Task<PipelineRunResult> RunAsync(
        IReadOnlyList<UnitRegistration> units,
        string rootUnitCode,
        string formId,
        int year,
        IReadOnlyCollection<UnitDocument> documents,
        bool lenient,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        PreviousYearRun? previousYear = null,
        DateOnly? dueDate = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var stage = PipelineStage.Submitting;
        Guid? rollupId = null;
        try
        {
            return await RunStagesAsync(units, rootUnitCode, formId, year, documents, lenient, previousYear, dueDate ?? DueDate(year), s => stage = s, id => rollupId = id, deadline.Token);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && rollupId is { } interrupted)
        {
            // Told to stop: the rollup is marked failed with the reason rather than left requested for nobody; its
            // steps still running then find it failed and store nothing.
            await Get<RollupFaults>().RecordInterruptionAsync(interrupted, CancellationToken.None);
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
        IReadOnlyCollection<UnitDocument> documents,
        bool lenient,
        PreviousYearRun? previousYear,
        DateOnly dueDate,
        Action<PipelineStage> enter,
        Action<Guid> requested,
        CancellationToken ct)
    {
        var actor = Actor.Cli;

        (await Get<UnitRegistry>().UpsertAsync(units, actor, ct)).ThrowIfFailed("登记单位");
        if (previousYear is not null)
        {
            var previousPeriod = (await Get<PeriodService>().OpenAsync(
                new OpenPeriodRequest(previousYear.Year, previousYear.FormId, rootUnitCode, new DateOnly(previousYear.Year + 1, 1, 31)), actor, ct))
                .ThrowIfFailed("开启上年度填报期");
            var (previousSubmitted, _) = await SubmitAsync(previousPeriod.Id, previousYear.Documents, lenient: true, null, ct);
            await WaitForValidationAsync(previousPeriod.Id, previousSubmitted, ct, reportProgress: false);
        }

        var period = (await Get<PeriodService>().OpenAsync(
            new OpenPeriodRequest(year, formId, rootUnitCode, dueDate), actor, ct)).ThrowIfFailed("开启填报期");

        if (Text is { } text)
        {
            (await Get<ReportTextService>().SaveAsync(period.Id, text, actor, ct)).ThrowIfFailed("写入报告文字");
        }

        var (submitted, refused) = await SubmitAsync(period.Id, documents, lenient, progress, ct);

        enter(PipelineStage.Validating);
        var outcomes = await WaitForValidationAsync(period.Id, submitted, ct);
        var rollupId = (await Get<RollupRequests>().RequestAsync(period.Id, null, actor, ct)).ThrowIfFailed("请求汇总").RollupId;
        requested(rollupId);
        enter(PipelineStage.RollingUp);
        progress?.Report(new PipelineStep(PipelineStage.RollingUp, 0, 1));
        await WaitForRollupAsync(rollupId, ct);
        var html = (await Get<ReportQuery>().GetAsync(rollupId, ReportFormat.Html, ct)).ThrowIfFailed("读取 HTML 报告").Content;
        var markdown = (await Get<ReportQuery>().GetAsync(rollupId, ReportFormat.Markdown, ct)).ThrowIfFailed("读取 Markdown 报告").Content;
        var docx = (await Get<ReportQuery>().GetAsync(rollupId, ReportFormat.Docx, ct)).ThrowIfFailed("读取 Word 报告").File;
        var xlsx = (await Get<ReportQuery>().GetAsync(rollupId, ReportFormat.Xlsx, ct)).ThrowIfFailed("读取 Excel 报告").File;
        var reports = Get<ReportQuery>();
        const string Internal = "internal";
        var internalEdition = new RenderedEdition(
            (await reports.GetAsync(rollupId, ReportFormat.Html, Internal, ct)).ThrowIfFailed("读取内部版 HTML 报告").Content,
            (await reports.GetAsync(rollupId, ReportFormat.Markdown, Internal, ct)).ThrowIfFailed("读取内部版 Markdown 报告").Content,
            (await reports.GetAsync(rollupId, ReportFormat.Docx, Internal, ct)).ThrowIfFailed("读取内部版 Word 报告").File,
            (await reports.GetAsync(rollupId, ReportFormat.Xlsx, Internal, ct)).ThrowIfFailed("读取内部版 Excel 报告").File);
        var rollup = (await Get<RollupQuery>().GetAsync(rollupId, ct))!;
        progress?.Report(new PipelineStep(PipelineStage.Done, 1, 1));
        var children = await Get<RollupChildren>().GetAsync(rollupId, ct);
        return new PipelineRunResult(rollup, html, markdown, docx, xlsx, outcomes, refused) { Internal = internalEdition, Children = children };
    }

    // Reports are due on 31 January of the next year. A folder's files carry no time of their own: they are received
    // when the run submits them, so a run after that day is due on its own day rather than calling every unit late.
    private static DateOnly DueDate(int year)
    {
        var national = new DateOnly(year + 1, 1, 31);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return today > national ? today : national;
    }

    private async Task<(int Submitted, List<(string, Problem)> Refused)> SubmitAsync(
        Guid periodId, IReadOnlyCollection<UnitDocument> documents, bool lenient, IProgress<PipelineStep>? report, CancellationToken ct)
    {
        var actor = Actor.Cli;
        var intake = Get<SubmissionIntake>();
        var refused = new List<(string, Problem)>();
        var submitted = 0;
        // Batches of units commit together: SQLite has one writer, and a commit per unit made the writer the queue.
        foreach (var batch in documents.Chunk(SubmitBatchSize))
        {
            var results = await intake.SubmitBatchAsync(
                periodId, [.. batch.Select(d => new BatchDocument(d.Document with { UnitCode = d.UnitCode }, lenient ? d.Source : null))], Submitter.Office(actor), strict: !lenient, ct);
            for (var i = 0; i < batch.Length; i++)
            {
                if (results[i].IsSuccess)
                {
                    submitted++;
                }
                else
                {
                    refused.Add((batch[i].UnitCode, results[i].Problem!));
                }
            }

            report?.Report(new PipelineStep(PipelineStage.Submitting, submitted + refused.Count, documents.Count));
        }

        return (submitted, refused);
    }

    // Polls a count of the versions still received, not the whole period's completeness; the completeness is read
    // once, when all are validated. A count costs as many versions as still wait, so the polls space out while many
    // do: a large period is not slowed by watching it, and a small one is seen done within a few milliseconds.
    private async Task<IReadOnlyDictionary<string, string>> WaitForValidationAsync(Guid periodId, int submitted, CancellationToken ct, bool reportProgress = true)
    {
        var submissions = Get<SubmissionRepository>();
        var interval = PollInterval;
        while (true)
        {
            var validated = submitted - await submissions.CountReceivedAsync(periodId, ct);
            if (reportProgress)
            {
                progress?.Report(new PipelineStep(PipelineStage.Validating, validated, submitted));
            }

            if (validated >= submitted)
            {
                var view = (await Get<CompletenessQuery>().GetAsync(periodId, ct))!;
                return view.Units.Where(unit => unit.Status != CompletenessQuery.Missing).ToDictionary(unit => unit.UnitCode, unit => unit.Status, StringComparer.Ordinal);
            }

            await Task.Delay(interval, ct);
            interval = TimeSpan.FromTicks(Math.Min(LongestPollInterval.Ticks, interval.Ticks * 2));
        }
    }

    // The stored state is the one truth every failure ends in (a render error, a fault after retries), so waiting on
    // it sees a failure as soon as it is stored; the run's deadline bounds the wait.
    private async Task WaitForRollupAsync(Guid rollupId, CancellationToken ct)
    {
        var rollups = Get<RollupQuery>();
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

    private T Get<T>()
        where T : notnull => services.GetRequiredService<T>();

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
