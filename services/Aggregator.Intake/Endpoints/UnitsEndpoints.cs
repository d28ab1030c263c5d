using Aggregator.Application.Units;
using Aggregator.Intake.Authentication;
using Aggregator.Intake.Json;
using Aggregator.Intake.Problems;
using Aggregator.Storage.Units;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Aggregator.Intake.Endpoints;

/// <summary><c>POST /units</c> (bulk register or update), <c>GET /units</c>.</summary>
internal static class UnitsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var units = api.MapGroup("/units").WithTags("单位");

        units.MapPost("", UpsertAsync)
            .RequireAuthorization(IntakePolicies.Admin)
            .WithName("UpsertUnits")
            .WithSummary("批量登记或更新单位")
            .Accepts<List<UnitRequest>>("application/json")
            .Produces<UpsertedResponse>()
            .ProducesApiProblems(400, 413, 415);

        units.MapGet("", ListAsync)
            .RequireAuthorization(IntakePolicies.AdminOrOps)
            .WithName("ListUnits")
            .WithSummary("列出已登记的单位")
            .Produces<List<UnitResponse>>();

        units.MapPatch("/{code}", ChangeAsync)
            .RequireAuthorization(IntakePolicies.Admin)
            .WithName("ChangeUnit")
            .WithSummary("重命名单位或将其移到另一上级之下（不能移到自己的下级之下：unit_move_cycle）")
            .Accepts<UnitChangeRequest>("application/json")
            .Produces<UnitResponse>()
            .ProducesApiProblems(400, 404, 409, 413, 415);
    }

    private static async Task<IResult> ChangeAsync(string code, HttpContext context, Caller caller, JsonRequestReader reader, UnitRegistry registry)
    {
        if (!UnitCodes.IsValid(code))
        {
            return ApiProblem.InvalidUnitCode(code).ToResult();
        }

        var read = await reader.ReadAsync<UnitChangeRequest>(context);
        if (read.Problem is not null)
        {
            return read.Problem.ToResult();
        }

        var request = read.Value!;
        if (request.Name is null && request.Parent is null)
        {
            return ApiProblem.InvalidRequest("请至少填写 name（新名称）或 parent（新上级）之一。", new ApiFieldError("$", "缺少 name 或 parent")).ToResult();
        }

        var changed = await registry.ChangeAsync(code, new UnitChange(request.Name, request.Parent), caller.Actor, context.RequestAborted);
        return changed.IsSuccess ? TypedResults.Ok(UnitResponse.From(changed.Value)) : changed.Problem.ToResult();
    }

    private static async Task<IResult> UpsertAsync(
        HttpContext context, Caller caller, JsonRequestReader reader, UnitRegistry registry, IOptions<IntakeOptions> options)
    {
        var read = await reader.ReadAsync<List<UnitRequest>>(context);
        if (read.Problem is not null)
        {
            return read.Problem.ToResult();
        }

        var batch = read.Value!;
        var limit = options.Value.MaxUnitsPerBatch;
        if (batch.Count > limit)
        {
            return ApiProblem.InvalidRequest($"一次最多登记 {limit} 个单位，本次为 {batch.Count} 个；请分批提交。",
                new ApiFieldError("$", $"最多 {limit} 个")).ToResult();
        }

        if (FieldErrors(batch) is { Count: > 0 } errors)
        {
            return ApiProblem.InvalidRequest($"有 {errors.Count} 处单位信息不正确。", [.. errors.Take(50)]).ToResult();
        }

        var result = await registry.UpsertAsync(
            [.. batch.Select(unit => new UnitRegistration(unit.Code!, unit.Name!.Trim(), unit.Kind!, unit.Parent))], caller.Actor, context.RequestAborted);
        return result.IsSuccess ? TypedResults.Ok(new UpsertedResponse(result.Value)) : result.Problem.ToResult();
    }

    private static async Task<IResult> ListAsync(UnitRegistry registry, CancellationToken cancellationToken) =>
        TypedResults.Ok((await registry.ListAsync(cancellationToken)).Select(UnitResponse.From).ToList());

    /// <summary>Missing fields, and names with control characters, which would corrupt printed reports and logs.</summary>
    private static List<ApiFieldError> FieldErrors(List<UnitRequest> batch)
    {
        var errors = new List<ApiFieldError>();
        for (var i = 0; i < batch.Count; i++)
        {
            var unit = batch[i];
            if (unit.Code is null)
            {
                errors.Add(new ApiFieldError($"[{i}].code", "缺少单位代码"));
            }

            if (unit.Kind is null)
            {
                errors.Add(new ApiFieldError($"[{i}].kind", "缺少单位类型（district、department、township、street、city 或 other）"));
            }

            if (unit.Name is null)
            {
                errors.Add(new ApiFieldError($"[{i}].name", "缺少单位名称"));
            }
            else if (unit.Name.Any(char.IsControl))
            {
                errors.Add(new ApiFieldError($"[{i}].name", "单位名称不能包含控制字符（换行、制表符等）"));
            }
        }

        return errors;
    }
}

public sealed record UnitRequest
{
    /// <summary>1–64 letters, digits, <c>_</c>, <c>-</c> or <c>.</c>, starting with a letter or digit.</summary>
    public string? Code { get; init; }

    public string? Name { get; init; }

    /// <summary><c>district</c>, <c>department</c>, <c>township</c>, <c>street</c>, <c>city</c> or <c>other</c>.</summary>
    public string? Kind { get; init; }

    /// <summary>The parent unit's code: registered already or in the same batch; absent for a root.</summary>
    public string? Parent { get; init; }
}

/// <summary>A rename, a move, or both; a field left out keeps its value.</summary>
public sealed record UnitChangeRequest
{
    public string? Name { get; init; }

    /// <summary>The new parent's code (registered, not the unit itself or below it); <c>""</c> makes the unit a root.</summary>
    public string? Parent { get; init; }
}

public sealed record UpsertedResponse(int Upserted);

public sealed record UnitResponse(string Code, string Name, string Kind, string? Parent, DateTimeOffset UpdatedAt)
{
    public static UnitResponse From(OrgUnit unit) => new(unit.Code, unit.Name, unit.Kind, unit.ParentCode, unit.UpdatedAt);
}
