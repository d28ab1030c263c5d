namespace Aggregator.Storage;

public static class SubmissionStatus
{
    public const string Received = "received";
    public const string Accepted = "accepted";
    public const string AcceptedWithWarnings = "accepted_with_warnings";
    public const string Rejected = "rejected";

    /// <summary>Returned by the district office for correction; never counted, superseded by the unit's next version.</summary>
    public const string Returned = "returned";

    public static IReadOnlySet<string> Outcomes { get; } = new HashSet<string>(StringComparer.Ordinal) { Accepted, AcceptedWithWarnings, Rejected };

    public static bool IsAccepted(string? status) => status is Accepted or AcceptedWithWarnings;
}

public static class PeriodStatus
{
    public const string Open = "open";
    public const string Closed = "closed";
}

/// <summary>
/// A rollup's life: <see cref="Requested"/> until its sums are stored, <see cref="Rendering"/> until its report is
/// stored, then <see cref="Completed"/>; <see cref="Failed"/> from either, with a code and a message.
/// </summary>
public static class RollupStatus
{
    public const string Requested = "requested";
    public const string Rendering = "rendering";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

public static class ExclusionReason
{
    public const string Missing = "missing";
    public const string Rejected = "rejected";
    public const string Pending = "pending";
}

public static class OrgUnitKind
{
    public const string District = "district";
    public const string Department = "department";
    public const string Township = "township";
    public const string Street = "street";
    public const string City = "city";
    public const string Other = "other";

    public static IReadOnlySet<string> All { get; } =
        new HashSet<string>(StringComparer.Ordinal) { District, Department, Township, Street, City, Other };
}

public static class ApiKeyRole
{
    public const string Admin = "admin";
    public const string Unit = "unit";
    public const string Ops = "ops";
}

/// <summary>The stored report formats. Word and Excel files are binary: their content column holds them as base64.</summary>
public static class ReportFormat
{
    public const string Html = "html";
    public const string Markdown = "md";
    public const string Docx = "docx";
    public const string Xlsx = "xlsx";
}
