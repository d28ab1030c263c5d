using Aggregator.Application.Validation;
using Aggregator.Core.Values;

namespace Aggregator.Application.Submissions;

/// <summary>What an accepted intake request led to: a stored version, or (dry run) the verdict with nothing stored.</summary>
public sealed record IntakeOutcome
{
    /// <summary>The stored version; null on a dry run.</summary>
    public SubmissionReceipt? Receipt { get; init; }

    /// <summary>The full validation verdict; only on a dry run.</summary>
    public DryRunVerdict? Verdict { get; init; }

    /// <summary>The unit the submission was taken for.</summary>
    public string? UnitCode { get; init; }
}

/// <summary>A stored submission version awaiting validation (<c>status</c> is <c>received</c>).</summary>
public sealed record SubmissionReceipt(Guid SubmissionId, int Version, string Status, string UnitCode);

/// <summary>The verdict a submission would get: <c>accepted</c>, <c>accepted_with_warnings</c> or <c>rejected</c>.</summary>
public sealed record DryRunVerdict(string Outcome, IReadOnlyList<ViolationView> Violations);

/// <summary>One document of a batch: <paramref name="Source"/> is the text it was read from, stored as it was when given.</summary>
public sealed record BatchDocument(SubmissionDocument Document, string? Source = null);
