using Aggregator.Storage;

namespace Aggregator.Intake.Web;

/// <summary>The words the pages use for stored codes.</summary>
public static class Words
{
    public static string Role(string role) => role switch
    {
        ApiKeyRole.Admin => "区政府办公室",
        ApiKeyRole.Unit => "填报单位",
        ApiKeyRole.Ops => "运维",
        _ => role,
    };

    /// <summary>A unit's standing on the board: 未报送 / 待校验 / 通过 / 有警告 / 未通过 (rules) / 退回 (by the office).</summary>
    public static string Status(string status) => status switch
    {
        "missing" => "未报送",
        SubmissionStatus.Received => "待校验",
        SubmissionStatus.Accepted => "通过",
        SubmissionStatus.AcceptedWithWarnings => "有警告",
        SubmissionStatus.Rejected => "未通过",
        SubmissionStatus.Returned => "退回",
        _ => status,
    };

    public static string RollupStatus(string status) => status switch
    {
        Storage.RollupStatus.Requested => "汇总中",
        Storage.RollupStatus.Rendering => "生成报告中",
        Storage.RollupStatus.Completed => "已完成",
        Storage.RollupStatus.Failed => "失败",
        _ => status,
    };

    public static string PeriodStatus(string status) => status == Storage.PeriodStatus.Open ? "开放" : "已关闭";

    public static string Form(string formId) => formId switch
    {
        "stat_pre2019" => "政府信息公开情况统计表（2018 年及以前）",
        "fmt_2019" => "2019 年格式（国办公开办函〔2019〕60号）",
        "fmt_2021" => "2021 年格式（国办公开办函〔2021〕30号）",
        _ => formId,
    };

    public static string Severity(string severity) => severity == "error" ? "错误" : "警告";

    /// <summary>A moment in China Standard Time, as the office reads it.</summary>
    public static string Time(DateTimeOffset? at) =>
        at is { } value ? value.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) : "—";

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    // Unit management.
    public static string UnitKind(string kind) => kind switch
    {
        OrgUnitKind.District => "区县",
        OrgUnitKind.Department => "部门",
        OrgUnitKind.Township => "乡镇",
        OrgUnitKind.Street => "街道",
        OrgUnitKind.City => "市级",
        OrgUnitKind.Other => "其他",
        _ => kind,
    };
}
