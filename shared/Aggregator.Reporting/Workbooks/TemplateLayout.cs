namespace Aggregator.Reporting.Workbooks;

/// <summary>What a submission template stores besides the printed tables, shared by its writer and its reader.</summary>
public static class TemplateLayout
{
    /// <summary>The content type of an .xlsx workbook.</summary>
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The very hidden sheet holding the metadata and the map of input cells.</summary>
    public const string MetadataSheet = "_aggregator";

    /// <summary>The first sheet: what the workbook is for, the unit, how to fill it in.</summary>
    public const string CoverSheet = "填报说明";

    /// <summary>The value beside <c>template</c> on the metadata sheet that marks a workbook as one of ours.</summary>
    public const string Marker = "aggregator-submission-template";

    public const string Version = "1";

    /// <summary>Each input cell carries a defined name of this prefix and its cell id, which Excel moves with the cell.</summary>
    public const string CellNamePrefix = "agg_";

    public const string UnitCodeName = "agg_meta_unit_code";
    public const string UnitNameName = "agg_meta_unit_name";

    internal const string TemplateKey = "template";
    internal const string VersionKey = "template_version";
    internal const string FormatKey = "format_id";
    internal const string YearKey = "year";
    internal const string UnitCodeKey = "unit_code";
    internal const string UnitNameKey = "unit_name";

    /// <summary>Whether the bytes start like a zip archive, as every .xlsx does.</summary>
    public static bool LooksLikeWorkbook(ReadOnlySpan<byte> bytes) => bytes.StartsWith("PK\u0003\u0004"u8);
}
