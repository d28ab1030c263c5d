using Aggregator.Application.Results;
using Aggregator.Storage;
using Aggregator.Storage.Reviews;
using Aggregator.Storage.Rollups;
using Aggregator.Storage.Submissions;

namespace Aggregator.Application.Reviews;

/// <summary>
/// The district office's decisions on a unit's latest version: return it for correction with a reason, or accept it
/// although warnings fail, with a justification. Each is refused with a stable code when the version's state does
/// not allow it.
/// </summary>
public sealed class SubmissionReviews(SubmissionRepository submissions, SubmissionReviewRepository reviews, RollupRepository rollups)
{
    public const int MaxNoteLength = 2000;

    /// <param name="version">The version the office looked at; null for the latest. Another version is refused as superseded.</param>
    public async Task<Result<SubmissionReview>> ReturnAsync(
        Guid submissionId, int? version, string? reason, Actor actor, CancellationToken cancellationToken)
    {
        if (Note(reason, "reason", "退回原因") is { } invalid)
        {
            return invalid;
        }

        var latest = await submissions.GetAsync(submissionId, cancellationToken);
        if (Refusal(latest, submissionId, version) is { } refused)
        {
            return refused;
        }

        if (latest!.Status == SubmissionStatus.Returned)
        {
            return Problem.Of(ProblemCodes.SubmissionAlreadyReturned, "报表已退回", $"第 {latest.Version} 版已经退回，等待该单位重新报送。");
        }

        var note = reason!.Trim();
        if (!await reviews.ReturnAsync(submissionId, latest.Version, note, actor, cancellationToken))
        {
            return Changed(latest.Version);
        }

        // A completed rollup that summed the returned version no longer says what a new one would: mark it stale,
        // as an accepted newer version does (the marking covers every rollup holding this version or an older one).
        if (SubmissionStatus.IsAccepted(latest.Status))
        {
            await rollups.MarkStaleAsync(latest.PeriodId, latest.UnitCode, submissionId, latest.Version + 1, cancellationToken);
        }

        return await StoredAsync(submissionId, latest.Version, ReviewDecision.Returned, cancellationToken);
    }

    /// <param name="version">The version the office looked at; null for the latest. Another version is refused as superseded.</param>
    public async Task<Result<SubmissionReview>> AcceptAsync(
        Guid submissionId, int? version, string? justification, Actor actor, CancellationToken cancellationToken)
    {
        if (Note(justification, "justification", "接受理由") is { } invalid)
        {
            return invalid;
        }

        var latest = await submissions.GetAsync(submissionId, cancellationToken);
        if (Refusal(latest, submissionId, version) is { } refused)
        {
            return refused;
        }

        switch (latest!.Status)
        {
            case SubmissionStatus.Returned:
                return Problem.Of(ProblemCodes.SubmissionAlreadyReturned, "报表已退回", $"第 {latest.Version} 版已经退回，不能再接受。");
            case SubmissionStatus.Rejected:
                return Problem.Of(ProblemCodes.SubmissionHasErrors, "报表有错误，不能接受",
                    $"第 {latest.Version} 版有未通过的错误类校验，只能退回修改；只有仅有警告的报表可以说明理由后接受。");
            case SubmissionStatus.Accepted:
                return Problem.Of(ProblemCodes.SubmissionHasNoWarnings, "报表没有警告，无需接受", $"第 {latest.Version} 版全部校验通过，已计入汇总。");
        }

        if ((await reviews.ListAsync(submissionId, cancellationToken)).Any(r => r.Version == latest.Version && r.Decision == ReviewDecision.Accepted))
        {
            return AlreadyAccepted(latest.Version);
        }

        var note = justification!.Trim();
        return await reviews.AcceptAsync(submissionId, latest.Version, note, actor, cancellationToken)
            ? await StoredAsync(submissionId, latest.Version, ReviewDecision.Accepted, cancellationToken)
            : Changed(latest.Version);
    }

    /// <summary>The office's decisions on one version.</summary>
    public async Task<IReadOnlyList<SubmissionReview>> OfVersionAsync(Guid submissionId, int version, CancellationToken cancellationToken) =>
        [.. (await reviews.ListAsync(submissionId, cancellationToken)).Where(r => r.Version == version)];

    private static Problem? Note(string? text, string field, string name)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Problem.InvalidRequest($"请填写{name}。", new FieldError(field, $"缺少{name}"));
        }

        return text.Trim().Length > MaxNoteLength
            ? Problem.InvalidRequest($"{name}不能超过 {MaxNoteLength} 个字符。", new FieldError(field, $"超过 {MaxNoteLength} 个字符"))
            : null;
    }

    private static Problem? Refusal(SubmissionVersion? latest, Guid submissionId, int? version)
    {
        if (latest is null)
        {
            return Problem.NotFound($"报表 {submissionId}");
        }

        if (version is { } seen && seen != latest.Version)
        {
            return Problem.Of(ProblemCodes.SubmissionSuperseded, "报表已有新版本",
                $"该单位已报送第 {latest.Version} 版，第 {seen} 版不再是最新版本；请查看最新版本后再处理。");
        }

        return latest.Status == SubmissionStatus.Received
            ? Problem.Of(ProblemCodes.SubmissionNotValidated, "报表尚未校验", $"第 {latest.Version} 版还在校验中，校验完成后才能退回或接受。")
            : null;
    }

    private static Problem AlreadyAccepted(int version) =>
        Problem.Of(ProblemCodes.SubmissionAlreadyAccepted, "报表已接受", $"第 {version} 版已经说明理由后接受。");

    // The guarded write found the version changed since it was read: a resubmission or another decision won.
    private static Problem Changed(int version) =>
        Problem.Of(ProblemCodes.SubmissionSuperseded, "报表状态已变化", $"处理第 {version} 版时，该报表已有新版本或已被处理；请刷新后再试。");

    private async Task<SubmissionReview> StoredAsync(Guid submissionId, int version, string decision, CancellationToken cancellationToken) =>
        (await OfVersionAsync(submissionId, version, cancellationToken)).Last(r => r.Decision == decision);
}
