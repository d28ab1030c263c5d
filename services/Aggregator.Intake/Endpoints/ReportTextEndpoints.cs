using System.Text.Json.Nodes;
using Aggregator.Application.Reports;
using Aggregator.Application.Results;
using Aggregator.Intake.Authentication;
using Aggregator.Intake.Json;
using Aggregator.Intake.Problems;
using Aggregator.Reporting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;

namespace Aggregator.Intake.Endpoints;

/// <summary><c>GET /periods/{id}/report-text</c>, <c>PUT /periods/{id}/report-text</c>: the district office's own text of the report.</summary>
internal static class ReportTextEndpoints
{
    private const string Example = """
        {
          "compiled_by": "温州市洞头区人民政府办公室",
          "published_on": "2020-01-20",
          "contact": "联系电话：0577-63480000",
          "address": "地址：洞头区北岙街道人民路1号",
          "overview": "2019年，全区深入贯彻新修订的《条例》，政务公开工作稳步推进。",
          "proactive": "全区各单位通过政府门户网站主动公开政府信息。",
          "applications": "依申请公开办理流程进一步规范。",
          "management": "落实政府信息公开属性源头认定。",
          "platform": "完成政府门户网站集约化改版。",
          "oversight": "将政务公开纳入年度考核。",
          "problems": "部分单位信息更新不够及时。\n下一步将加强日常督查。",
          "other": "无。"
        }
        """;

    public static void Map(RouteGroupBuilder api)
    {
        var periods = api.MapGroup("/periods").WithTags("填报期");

        periods.MapGet("/{id}/report-text", GetAsync)
            .RequireAuthorization(IntakePolicies.Admin)
            .WithName("GetReportText")
            .WithSummary("查看汇总报告中由区政府办公室撰写的文字（一的五个方面、五、六、编制单位、发布日期、联系方式、地址）")
            .Produces<ReportTextResponse>()
            .ProducesApiProblems(400, 404);

        periods.MapPut("/{id}/report-text", PutAsync)
            .RequireAuthorization(IntakePolicies.Admin)
            .WithName("PutReportText")
            .WithSummary("写入汇总报告的文字（整体替换；空的部分保留报告中的待补充提示；之后生成的汇总报告使用新文字）")
            .Accepts<ReportTextBody>("application/json")
            .Produces<ReportTextResponse>()
            .ProducesApiProblems(400, 404, 409, 413, 415)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                if (operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true)
                {
                    body.Example = JsonNode.Parse(Example);
                }

                return Task.CompletedTask;
            });
    }

    private static async Task<IResult> GetAsync(Guid id, ReportTextService texts, Application.Periods.PeriodService periods, CancellationToken cancellationToken)
    {
        if (await periods.GetAsync(id, cancellationToken) is null)
        {
            return Problem.PeriodNotFound(id).ToResult();
        }

        var view = await texts.GetAsync(id, cancellationToken) ?? new ReportTextView(id, new ReportText(), null, null);
        return TypedResults.Ok(ReportTextResponse.From(view));
    }

    private static async Task<IResult> PutAsync(Guid id, HttpContext context, Caller caller, JsonRequestReader reader, ReportTextService texts)
    {
        var read = await reader.ReadAsync<ReportTextBody>(context);
        if (read.Problem is not null)
        {
            return read.Problem.ToResult();
        }

        var result = await texts.SaveAsync(id, read.Value!.ToText(), caller.Actor, context.RequestAborted);
        return result.IsSuccess ? TypedResults.Ok(ReportTextResponse.From(result.Value)) : result.Problem.ToResult();
    }
}

/// <summary>The office's text of a period's report; every field is optional, a missing or blank one keeps its placeholder.</summary>
public sealed record ReportTextBody
{
    /// <summary>The compiling office's full name, printed in the opening and the signature.</summary>
    public string? CompiledBy { get; init; }

    /// <summary>The publication date printed under the signature (YYYY-MM-DD); without it, the date the sums were stored.</summary>
    public DateOnly? PublishedOn { get; init; }

    /// <summary>A contact line printed after 六.</summary>
    public string? Contact { get; init; }

    /// <summary>An address line printed after 六.</summary>
    public string? Address { get; init; }

    /// <summary>一、总体情况: the opening words; paragraphs separated by line breaks. The computed figures are printed before it.</summary>
    public string? Overview { get; init; }

    /// <summary>一（一）主动公开.</summary>
    public string? Proactive { get; init; }

    /// <summary>一（二）依申请公开.</summary>
    public string? Applications { get; init; }

    /// <summary>一（三）政府信息管理.</summary>
    public string? Management { get; init; }

    /// <summary>一（四）平台建设.</summary>
    public string? Platform { get; init; }

    /// <summary>一（五）监督保障.</summary>
    public string? Oversight { get; init; }

    /// <summary>五、存在的主要问题及改进情况.</summary>
    public string? Problems { get; init; }

    /// <summary>六、其他需要报告的事项.</summary>
    public string? Other { get; init; }

    public ReportText ToText() => new()
    {
        CompiledBy = CompiledBy,
        PublishedOn = PublishedOn,
        Contact = Contact,
        Address = Address,
        Overview = Overview,
        Proactive = Proactive,
        Applications = Applications,
        Management = Management,
        Platform = Platform,
        Oversight = Oversight,
        Problems = Problems,
        Other = Other,
    };
}

/// <summary>A period's report text with who wrote it last; <c>updated_at</c> is null when nothing was written yet.</summary>
public sealed record ReportTextResponse(
    Guid PeriodId,
    string? CompiledBy,
    DateOnly? PublishedOn,
    string? Contact,
    string? Address,
    string? Overview,
    string? Proactive,
    string? Applications,
    string? Management,
    string? Platform,
    string? Oversight,
    string? Problems,
    string? Other,
    DateTimeOffset? UpdatedAt,
    string? UpdatedBy)
{
    public static ReportTextResponse From(ReportTextView view)
    {
        var t = view.Text;
        return new(view.PeriodId, t.CompiledBy, t.PublishedOn, t.Contact, t.Address, t.Overview, t.Proactive, t.Applications,
            t.Management, t.Platform, t.Oversight, t.Problems, t.Other, view.UpdatedAt, view.UpdatedBy);
    }
}
