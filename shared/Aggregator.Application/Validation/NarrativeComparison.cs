using Aggregator.Core.Rules;
using Aggregator.Core.Text;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Texts;

namespace Aggregator.Application.Validation;

/// <summary>
/// 内容雷同: compares a narrative with the latest of every other unit of the period and with the unit's own of the
/// year before. A stored version is compared through its stored hashes; a dry run's text, which is not stored, through
/// its own, so both get the same warnings.
/// </summary>
public sealed class NarrativeComparison(SubmissionTextRepository texts)
{
    /// <summary>The warnings for a stored version's narrative.</summary>
    public Task<IReadOnlyList<RuleViolation>> OfStoredAsync(
        Guid periodId, string unitCode, Guid submissionId, int version, int year, string? narrative, Period? previous, CancellationToken cancellationToken) =>
        CheckAsync(unitCode, year, narrative, previous, minShared => texts.ListSharingAsync(periodId, unitCode, submissionId, version, minShared, cancellationToken), cancellationToken);

    /// <summary>The warnings the narrative would get once stored, with nothing stored.</summary>
    public Task<IReadOnlyList<RuleViolation>> OfUnstoredAsync(
        Guid periodId, string unitCode, int year, string? narrative, Period? previous, CancellationToken cancellationToken) =>
        CheckAsync(unitCode, year, narrative, previous, minShared => texts.ListSharingAsync(
            periodId, unitCode, SentenceFingerprint.Of(narrative).ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries), minShared, cancellationToken), cancellationToken);

    private async Task<IReadOnlyList<RuleViolation>> CheckAsync(
        string unitCode, int year, string? narrative, Period? previous, Func<int, Task<IReadOnlyList<UnitText>>> sharing, CancellationToken cancellationToken)
    {
        var own = SentenceFingerprint.Of(narrative);
        if (own.Count < TextSimilarity.MinSentences)
        {
            return [];
        }

        // Only texts sharing enough hashes to reach the threshold can be warned of, so the database picks them and
        // the share is computed here for those alone.
        var minShared = 1;
        while ((double)minShared / own.Count < TextSimilarity.Threshold)
        {
            minShared++;
        }

        var others = (await sharing(minShared))
            .Select(t => new ComparedText(t.UnitCode, t.UnitName, year, SentenceFingerprint.Parse(t.SentenceHashes)));
        ComparedText? lastYear = null;
        if (previous is not null && await texts.FindLatestAsync(previous.Id, unitCode, cancellationToken) is { } mine)
        {
            lastYear = new ComparedText(mine.UnitCode, mine.UnitName, previous.Year, SentenceFingerprint.Parse(mine.SentenceHashes));
        }

        return TextSimilarity.Check(own, others, lastYear);
    }
}
