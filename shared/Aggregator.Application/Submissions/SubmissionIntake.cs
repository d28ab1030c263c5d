using System.Text;
using Aggregator.Application.CrossYear;
using Aggregator.Application.Periods;
using Aggregator.Application.Results;
using Aggregator.Application.Telemetry;
using Aggregator.Application.Units;
using Aggregator.Application.Validation;
using Aggregator.Contracts;
using Aggregator.Core.Forms;
using Aggregator.Core.Rules;
using Aggregator.Core.Text;
using Aggregator.Core.Values;
using Aggregator.Reporting.Workbooks;
using Aggregator.Storage;
using Aggregator.Storage.Outbox;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Submissions;
using Aggregator.Storage.Texts;

namespace Aggregator.Application.Submissions;

/// <summary>
/// Receives one unit's submission for a period: reads it, refuses what cannot be stored (unknown or closed period,
/// wrong unit, format or year, unreadable values) with a stable problem code, and otherwise stores a new version
/// whose <c>SubmissionReceived</c> message the outbox relay announces. Consistency rules are checked later by the
/// validation worker, or at once on a dry run, which stores nothing.
/// </summary>
public sealed class SubmissionIntake(
    PeriodRepository periods,
    SubmissionRepository submissions,
    GroupCommitWriter versionWriter,
    ExpectedUnits expectedUnits,
    FormCatalog catalog,
    IOutboxSignal outboxSignal,
    AggregatorMetrics metrics,
    PreviousYearData previousYearData,
    NarrativeComparison comparison)
{
    /// <summary>Reads <paramref name="documentJson"/> (the CLI's JSON shape) and submits it.</summary>
    public Task<Result<IntakeOutcome>> SubmitAsync(
        Guid periodId, string documentJson, Submitter submittedBy, bool dryRun, CancellationToken cancellationToken) =>
        SubmitAsync(periodId, Encoding.UTF8.GetBytes(documentJson), SubmissionReader.DefaultMaxDepth, submittedBy, dryRun, cancellationToken);

    /// <summary>
    /// Reads the UTF-8 bytes of a submission with <see cref="SubmissionReader"/> (nested at most
    /// <paramref name="maxDepth"/> levels) and submits it; the bytes are stored as they came.
    /// </summary>
    public Task<Result<IntakeOutcome>> SubmitAsync(
        Guid periodId, ReadOnlyMemory<byte> documentUtf8, int maxDepth, Submitter submittedBy, bool dryRun, CancellationToken cancellationToken) =>
        SubmitAsync(periodId, documentUtf8, maxDepth, submittedBy, dryRun, unitCodeIfUnnamed: null, cancellationToken);

    /// <summary>
    /// As <see cref="SubmitAsync(Guid, ReadOnlyMemory{byte}, int, Submitter, bool, CancellationToken)"/>, the document
    /// being taken as <paramref name="unitCodeIfUnnamed"/>'s when it names no unit (a file of the office's batch named
    /// after its unit, as <c>rollup</c> reads it).
    /// </summary>
    public async Task<Result<IntakeOutcome>> SubmitAsync(
        Guid periodId, ReadOnlyMemory<byte> documentUtf8, int maxDepth, Submitter submittedBy, bool dryRun, string? unitCodeIfUnnamed, CancellationToken cancellationToken)
    {
        var reading = SubmissionReader.Read(documentUtf8.Span, maxDepth);
        if (!reading.IsReadable)
        {
            return Counted(Unreadable(reading.Problems));
        }

        return await SubmitAsync(
            periodId, Named(reading.Document, unitCodeIfUnnamed), () => Encoding.UTF8.GetString(documentUtf8.Span), submittedBy, dryRun, strict: true, cancellationToken);
    }

    /// <summary>
    /// Reads a filled-in Excel template with <see cref="SubmissionWorkbookReader"/> and submits the document it gives,
    /// so the verdict is the one the JSON of the same values gets; a template of another format or year is refused
    /// with <c>wrong_format</c> or <c>wrong_year</c> saying which template it is.
    /// </summary>
    public Task<Result<IntakeOutcome>> SubmitWorkbookAsync(
        Guid periodId, byte[] workbook, Submitter submittedBy, bool dryRun, CancellationToken cancellationToken) =>
        SubmitWorkbookAsync(periodId, workbook, submittedBy, dryRun, unitCodeIfUnnamed: null, cancellationToken);

    /// <summary>As <see cref="SubmitWorkbookAsync(Guid, byte[], Submitter, bool, CancellationToken)"/>, taking a template that names no unit as <paramref name="unitCodeIfUnnamed"/>'s.</summary>
    public async Task<Result<IntakeOutcome>> SubmitWorkbookAsync(
        Guid periodId, byte[] workbook, Submitter submittedBy, bool dryRun, string? unitCodeIfUnnamed, CancellationToken cancellationToken)
    {
        var reading = SubmissionWorkbookReader.Read(workbook);
        if (reading.Problem is { } problem)
        {
            return Counted(Problem.Of(problem.Code, problem.Title, problem.Message));
        }

        var document = Named(reading.Document!, unitCodeIfUnnamed);
        if (await periods.GetAsync(periodId, cancellationToken) is { } period
            && (document.FormatId != period.FormId || document.Year != period.Year))
        {
            var detail = $"上传的是“{document.FormatId}”表式 {document.Year} 年度的报表模板，本填报期为“{period.FormId}”表式 {period.Year} 年度；请下载本填报期的模板重新填写。";
            return Counted(document.FormatId != period.FormId
                ? Problem.Of(ProblemCodes.WrongFormat, "表式不符", detail)
                : Problem.Of(ProblemCodes.WrongYear, "报告年度不符", detail));
        }

        return await SubmitAsync(periodId, document, submittedBy, dryRun, cancellationToken);
    }

    /// <summary>Submits an already parsed document; it is stored as <see cref="SubmissionDocument.ToJson"/> writes it.</summary>
    public Task<Result<IntakeOutcome>> SubmitAsync(
        Guid periodId, SubmissionDocument document, Submitter submittedBy, bool dryRun, CancellationToken cancellationToken) =>
        SubmitAsync(periodId, document, document.ToJson, submittedBy, dryRun, strict: true, cancellationToken);

    /// <summary>
    /// Stores a document even when some of its values cannot be read, for batch imports (the <c>rollup</c> command):
    /// the validation worker then rejects such a version with the value problems as its violations, so the unit is
    /// listed as rejected instead of vanishing. Period, unit, format and year are still checked.
    /// </summary>
    public Task<Result<IntakeOutcome>> ImportAsync(
        Guid periodId, SubmissionDocument document, Submitter submittedBy, CancellationToken cancellationToken) =>
        SubmitAsync(periodId, document, document.ToJson, submittedBy, dryRun: false, strict: false, cancellationToken);

    /// <summary>
    /// <see cref="ImportAsync(Guid, SubmissionDocument, Submitter, CancellationToken)"/> storing <paramref name="sourceJson"/>,
    /// the text the document was read from, so that validation sees what the reader saw (a cell written twice).
    /// </summary>
    public Task<Result<IntakeOutcome>> ImportAsync(
        Guid periodId, SubmissionDocument document, string sourceJson, Submitter submittedBy, CancellationToken cancellationToken) =>
        SubmitAsync(periodId, document, () => sourceJson, submittedBy, dryRun: false, strict: false, cancellationToken);

    private async Task<Result<IntakeOutcome>> SubmitAsync(
        Guid periodId,
        SubmissionDocument document,
        Func<string> storedJson,
        Submitter submittedBy,
        bool dryRun,
        bool strict,
        CancellationToken cancellationToken) =>
        Counted(await CheckAndStoreAsync(periodId, document, storedJson, submittedBy, dryRun, strict, cancellationToken));

    /// <summary>Counts a refusal by its code, and a stored version; a dry run that passes stores and counts nothing.</summary>
    private Result<IntakeOutcome> Counted(Result<IntakeOutcome> result)
    {
        if (!result.IsSuccess)
            metrics.SubmissionRefused(result.Problem.Code);
        else if (result.Value.Receipt is not null)
            metrics.SubmissionAccepted();
        return result;
    }

    private async Task<Result<IntakeOutcome>> CheckAndStoreAsync(
        Guid periodId,
        SubmissionDocument document,
        Func<string> storedJson,
        Submitter submittedBy,
        bool dryRun,
        bool strict,
        CancellationToken cancellationToken)
    {
        var check = await CheckAsync(periodId, document, storedJson, submittedBy, dryRun, strict, cancellationToken);
        if (check.Version is not { } version)
        {
            return check.Outcome;
        }

        // Concurrent requests commit together; each answer still waits for its own version's commit.
        var stored = await versionWriter.AddAsync(version, submittedBy.Actor, stored => Announce(version, stored));
        outboxSignal.Notify();
        return Received(version, stored);
    }

    /// <summary>
    /// Submits several documents to one period, each checked exactly as one submission is (a refusal refuses that
    /// document only), and stores every version that passed in one transaction: a batch import (the CLI's embedded
    /// pipeline) commits once per batch instead of once per unit. The results are in the order given.
    /// </summary>
    /// <param name="strict">False stores documents with unreadable values too, as <see cref="ImportAsync(Guid, SubmissionDocument, Submitter, CancellationToken)"/> does.</param>
    public async Task<IReadOnlyList<Result<IntakeOutcome>>> SubmitBatchAsync(
        Guid periodId, IReadOnlyList<BatchDocument> documents, Submitter submittedBy, bool strict, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var checks = new List<Check>(documents.Count);
        foreach (var (document, source) in documents)
        {
            Func<string> storedJson = source is null ? document.ToJson : () => source;
            checks.Add(await CheckAsync(periodId, document, storedJson, submittedBy, dryRun: false, strict, cancellationToken));
        }

        var versions = checks.Select(check => check.Version).OfType<NewVersion>().ToList();
        var stored = versions.Count == 0
            ? []
            : await submissions.AddVersionsAsync(versions, submittedBy.Actor, Announce, cancellationToken);
        if (versions.Count > 0)
        {
            outboxSignal.Notify();
        }

        var results = new List<Result<IntakeOutcome>>(checks.Count);
        var next = 0;
        foreach (var check in checks)
        {
            results.Add(Counted(check.Version is { } version ? Received(version, stored[next++]) : check.Outcome));
        }

        return results;
    }

    private static IReadOnlyCollection<OutboxEntry> Announce(NewVersion version, StoredVersion stored) =>
        [OutboxEntry.Of(new SubmissionReceived { SubmissionId = stored.SubmissionId, Version = stored.Version, PeriodId = version.PeriodId, UnitCode = version.UnitCode })];

    private static IntakeOutcome Received(NewVersion version, StoredVersion stored) =>
        new() { Receipt = new SubmissionReceipt(stored.SubmissionId, stored.Version, SubmissionStatus.Received, version.UnitCode), UnitCode = version.UnitCode };

    /// <summary>What the checks made of a document: the version to store, or the answer (a refusal, a dry run's verdict).</summary>
    private sealed record Check(Result<IntakeOutcome> Outcome, NewVersion? Version)
    {
        public static implicit operator Check(Problem problem) => new(problem, null);

        public static implicit operator Check(IntakeOutcome outcome) => new(outcome, null);
    }

    private async Task<Check> CheckAsync(
        Guid periodId,
        SubmissionDocument document,
        Func<string> storedJson,
        Submitter submittedBy,
        bool dryRun,
        bool strict,
        CancellationToken cancellationToken)
    {
        var unit = ResolveUnit(document, submittedBy);
        if (!unit.IsSuccess)
        {
            return unit.Problem;
        }

        var unitCode = unit.Value;
        var period = await periods.GetAsync(periodId, cancellationToken);
        if (period is null)
        {
            return Problem.PeriodNotFound(periodId);
        }

        if (period.Status != PeriodStatus.Open && await periods.GetReopeningAsync(periodId, unitCode, cancellationToken) is null)
        {
            return Problem.Of(ProblemCodes.PeriodClosed, "填报期已关闭", $"{period.Year} 年度填报期已关闭，不再接收报表。");
        }

        if (!await expectedUnits.ContainsAsync(periodId, unitCode, cancellationToken))
        {
            return Problem.Of(ProblemCodes.UnitNotExpected, "本填报期不需要该单位填报",
                $"单位“{unitCode}”不在 {period.Year} 年度填报期（{period.RootUnitCode}）的填报单位之列。");
        }

        if (!string.Equals(document.FormatId, period.FormId, StringComparison.Ordinal) || !catalog.TryGet(period.FormId, out var form))
        {
            return Problem.Of(ProblemCodes.WrongFormat, "表式不符",
                $"报表使用的表式为“{document.FormatId}”，本填报期要求“{period.FormId}”。");
        }

        if (document.Year != period.Year)
        {
            return Problem.Of(ProblemCodes.WrongYear, "报告年度不符", $"报表的年度为 {document.Year}，本填报期为 {period.Year} 年度。");
        }

        var normalized = TableNormalizer.Normalize(form, document);
        var validation = SubmissionValidator.Validate(normalized);
        if (strict && ValueProblems.Select(form, validation.Violations) is { Count: > 0 } problems)
        {
            return ValueProblems.ToProblem(problems);
        }

        if (dryRun)
        {
            // A dry run answers what validating the stored version would: with last year's accepted table, if any,
            // and the narrative compared with the other units' texts and with its own tables.
            if (await previousYearData.AcceptedDocumentAsync(periodId, unitCode, cancellationToken) is { } lastYear
                && catalog.TryGet(lastYear.FormatId, out var lastYearForm))
            {
                validation = SubmissionValidator.Validate(normalized, TableNormalizer.Normalize(lastYearForm, lastYear).Table);
            }

            var previous = await previousYearData.PreviousPeriodAsync(periodId, cancellationToken);
            IReadOnlyList<RuleViolation> violations =
            [
                .. validation.Violations,
                .. await comparison.OfUnstoredAsync(periodId, unitCode, document.Year, document.Narrative, previous, cancellationToken),
                .. NarrativeCheck.Violations(validation.Table, document.Narrative),
            ];
            return new IntakeOutcome { Verdict = new DryRunVerdict(RuleEvaluator.OutcomeOf(violations).ToWireName(), ViolationView.From(violations)), UnitCode = unitCode };
        }

        return new Check(new IntakeOutcome(), new NewVersion(periodId, unitCode, storedJson(), StoredCells.From(normalized), TextOf(document)));
    }

    private static SubmissionDocument Named(SubmissionDocument document, string? unitCodeIfUnnamed) =>
        unitCodeIfUnnamed is not null && string.IsNullOrWhiteSpace(document.UnitCode) ? document with { UnitCode = unitCodeIfUnnamed } : document;

    private static VersionText? TextOf(SubmissionDocument document)
    {
        if (string.IsNullOrWhiteSpace(document.Narrative))
        {
            return null;
        }

        var fingerprint = SentenceFingerprint.Of(document.Narrative);
        return new VersionText(document.Narrative, fingerprint.Count, fingerprint.ToString());
    }

    private static Result<string> ResolveUnit(SubmissionDocument document, Submitter submittedBy)
    {
        var named = string.IsNullOrWhiteSpace(document.UnitCode) ? null : document.UnitCode.Trim();
        if (submittedBy.OwnUnitCode is { } own)
        {
            if (named is not null && !string.Equals(named, own, StringComparison.Ordinal))
            {
                return Problem.Of(ProblemCodes.NotYourUnit, "只能为本单位填报", $"本密钥属于单位“{own}”，不能为单位“{named}”提交报表。");
            }

            named = own;
        }

        if (named is null)
        {
            return Problem.InvalidRequest("报表缺少单位代码。", new FieldError("unit_code", "请填写 unit_code（填报单位代码）"));
        }

        return UnitCodes.IsValid(named)
            ? named
            : Problem.Of(ProblemCodes.InvalidUnitCode, "单位代码格式不正确", $"单位代码“{named}”格式不正确。");
    }

    /// <summary>The HTTP contract's refusal for a document the reader could not read.</summary>
    private static Problem Unreadable(IReadOnlyList<ReadingProblem> problems) => problems[0].Rule switch
    {
        DocumentRuleIds.JsonSyntax => Problem.Of(ProblemCodes.InvalidJson, "JSON 格式错误", problems[0].Message),
        DocumentRuleIds.JsonDepth => Problem.Of(ProblemCodes.JsonTooDeep, "JSON 嵌套过深", problems[0].Message),
        _ => Problem.InvalidRequest(
            problems.Count == 1 ? problems[0].Message : $"提交文件中有 {problems.Count} 处字段不正确：{problems[0].Message}",
            [.. problems.Take(ValueProblems.ListedCells).Select(p => new FieldError(p.Field, p.Message))]),
    };
}
