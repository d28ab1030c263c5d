namespace Aggregator.Core.Forms;

/// <summary>The report years a form is used for; an open end is null.</summary>
public sealed record YearRange(int? From, int? To)
{
    /// <summary>Whether reports on <paramref name="year"/> use the form.</summary>
    public bool Contains(int year) => (From is null || year >= From) && (To is null || year <= To);
}
