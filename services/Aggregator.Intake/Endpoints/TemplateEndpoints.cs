using Aggregator.Application.Results;
using Aggregator.Application.Submissions;
using Aggregator.Intake.Authentication;
using Aggregator.Intake.Problems;
using Aggregator.Reporting.Workbooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Aggregator.Intake.Endpoints;

/// <summary><c>GET /periods/{id}/template.xlsx</c>: the Excel template a department fills in and uploads.</summary>
internal static class TemplateEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/periods/{id}/template.xlsx", GetAsync)
            .WithTags("报表")
            .RequireAuthorization(IntakePolicies.Submitter)
            .WithName("GetSubmissionTemplate")
            .WithSummary("下载本填报期的 Excel 报表模板（单位密钥：已填好本单位；管理员可用 unit 指定单位）")
            .WithDescription("模板按本填报期的表式和年度生成：只有浅黄色格子可以填写（其余受工作表保护），每格有数据校验，"
                + "“总计”旁有按各项计算的合计。填好后以 Content-Type: " + TemplateLayout.ContentType + " 提交到 POST /periods/{id}/submissions（可加 dryRun=true）。")
            .Produces(StatusCodes.Status200OK, contentType: TemplateLayout.ContentType)
            .ProducesApiProblems(400, 403, 404, 422);
    }

    private static async Task<IResult> GetAsync(Guid id, string? unit, Caller caller, SubmissionTemplates templates, CancellationToken cancellationToken)
    {
        var unitCode = string.IsNullOrWhiteSpace(unit) ? null : unit.Trim();
        if (caller.IsUnit)
        {
            if (unitCode is not null && !caller.MaySee(unitCode))
            {
                return Problem.Of(ProblemCodes.NotYourUnit, "只能下载本单位的模板", $"本密钥属于单位“{caller.UnitCode}”，不能下载单位“{unitCode}”的模板。").ToResult();
            }

            unitCode = caller.UnitCode;
        }

        var template = await templates.ForPeriodAsync(id, unitCode, cancellationToken);
        if (template.IsSuccess)
        {
            return TypedResults.File(template.Value.Content, TemplateLayout.ContentType, template.Value.FileName);
        }

        // A unit key of a period that does not expect its unit is refused as GET /periods/{id} refuses it.
        return caller.IsUnit && template.Problem.Code == ProblemCodes.UnitNotExpected
            ? ApiProblem.Forbidden($"单位“{caller.UnitCode}”不在该填报期的填报单位之列。").ToResult()
            : template.Problem.ToResult();
    }
}
