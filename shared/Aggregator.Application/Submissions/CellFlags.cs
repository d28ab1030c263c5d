namespace Aggregator.Application.Submissions;

/// <summary>What value parsing noticed about a stored cell (the <c>flags</c> column).</summary>
[Flags]
public enum CellFlags
{
    None = 0,

    /// <summary>A dash or slash was read as an explicit 0.</summary>
    DashReadAsZero = 1,

    /// <summary>A money amount was written without a unit where none is printed, and taken as 万元.</summary>
    UnitAssumed = 2,
}
