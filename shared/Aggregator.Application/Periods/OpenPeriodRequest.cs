namespace Aggregator.Application.Periods;

/// <summary>A period to open: the year reported on, its national form, the root of the unit tree and the due date.</summary>
public sealed record OpenPeriodRequest(int Year, string FormId, string RootUnit, DateOnly DueDate);
