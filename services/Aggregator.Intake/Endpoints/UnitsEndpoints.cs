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

/// <summary><c>POST /units</c> (bulk register or update), <c>GET /units</c>, <c>PATCH /units/{code}</c>, <c>POST /units/import</c>.</summary>
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

        units.MapPost("/import", ImportAsync)
            .RequireAuthorization(IntakePolicies.Admin)
            .WithName("ImportUnits")
            .WithSummary("导入单位清单（CSV 或 Excel，先试运行）")
            .WithDescription("请求体为 CSV（text/csv，UTF-8，表头 code,name,kind,parent 或 单位代码,单位名称,类型,上级代码）或 Excel 工作簿（"
                + UnitList.XlsxContentType + "，读第一个工作表），与 /admin/units 页面的导入相同。"
                + "dryRun=true 只返回计划：每行新增（added）、修改（changed，列出改动）或没有变化（unchanged），以及每个错误行的行号和原因，不保存。"
                + "dryRun=false 时清单有任何错误行则返回 422 unit_list_invalid（errors 列出每个错误行），一个单位也不保存；否则整份清单在一个事务中保存。")
            .Accepts<string>("text/csv", UnitList.XlsxContentType)
            .Produces<UnitImportResponse>()
            .ProducesApiProblems(400, 413, 415, 422)
            .WithUnitImportExample();
    }

    private static async Task<IResult> ImportAsync(bool? dryRun, HttpContext context, Caller caller, UnitImport import, IOptions<IntakeOptions> options)
    {
        var kind = ListKind(context.Request.ContentType);
        if (kind is null)
        {
            return ApiProblem.UnsupportedMediaType($"单位清单的 Content-Type 应为 text/csv 或 {UnitList.XlsxContentType}。").ToResult();
        }

        var (bytes, tooLarge) = await RequestBody.ReadAsync(context, options.Value.MaxRequestBodyBytes);
        if (tooLarge is not null)
        {
            return tooLarge.ToResult();
        }

        UnitListRead list;
        if (kind == UnitList.XlsxContentType)
        {
            list = UnitList.ReadXlsx(bytes!);
        }
        else
        {
            try
            {
                using var reader = new StreamReader(new MemoryStream(bytes!), new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
                list = UnitList.ReadCsv(new StringReader(await reader.ReadToEndAsync(context.RequestAborted)));
            }
            catch (System.Text.DecoderFallbackException)
            {
                list = new UnitListRead([], [new UnitListError("", "不是 UTF-8 编码；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”，或直接提交 .xlsx")]);
            }
        }

        if (dryRun == true)
        {
            return TypedResults.Ok(UnitImportResponse.From(await import.PlanAsync(list, context.RequestAborted), dryRun: true));
        }

        var applied = await import.ApplyAsync(list, caller.Actor, context.RequestAborted);
        return applied.IsSuccess ? TypedResults.Ok(UnitImportResponse.From(applied.Value, dryRun: false)) : applied.Problem.ToResult();
    }

    /// <summary>The list's media type (<c>text/csv</c> or the .xlsx one), or null for any other.</summary>
    private static string? ListKind(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var mediaType) && mediaType.MediaType.Value is { } value
            ? (string.Equals(value, "text/csv", StringComparison.OrdinalIgnoreCase) ? "text/csv"
                : string.Equals(value, UnitList.XlsxContentType, StringComparison.OrdinalIgnoreCase) ? UnitList.XlsxContentType : null)
            : null;

    private static RouteHandlerBuilder WithUnitImportExample(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.TryGetValue("200", out var response) == true && response.Content?.TryGetValue("application/json", out var media) == true)
            {
                media.Example = System.Text.Json.Nodes.JsonNode.Parse("""
                    {"dry_run": true, "can_apply": false, "added": 1, "changed": 1, "unchanged": 1,
                     "lines": [
                      {"line": 2, "where": "第 2 行", "code": "QL-FGJ", "name": "区发展和改革局", "kind": "department", "parent": "QL", "action": "added", "changes": []},
                      {"line": 3, "where": "第 3 行", "code": "QL-SWJ", "name": "区商务局", "kind": "department", "parent": "QL", "action": "changed", "changes": ["名称：区商务委 → 区商务局"]},
                      {"line": 4, "where": "第 4 行", "code": "QL-MLX", "name": "梅岭乡", "kind": "township", "parent": "QL", "action": "unchanged", "changes": []}],
                     "errors": [{"line": 5, "where": "第 5 行", "message": "上级单位“QL-XX”既不在清单中，也尚未登记"}]}
                    """);
            }

            return Task.CompletedTask;
        });

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

/// <summary>What an import did or would do: every listed unit's step, and every wrong line (nothing is stored while any is).</summary>
public sealed record UnitImportResponse(
    bool DryRun, bool CanApply, int Added, int Changed, int Unchanged, IReadOnlyList<UnitImportLineResponse> Lines, IReadOnlyList<UnitImportErrorResponse> Errors)
{
    public static UnitImportResponse From(UnitImportPlan plan, bool dryRun) => new(
        dryRun,
        plan.Errors.Count == 0,
        plan.Count(UnitImportAction.Add),
        plan.Count(UnitImportAction.Change),
        plan.Count(UnitImportAction.Unchanged),
        [.. plan.Steps.Select(step => new UnitImportLineResponse(
            UnitImport.LineOf(step.Unit.Where), step.Unit.Where, step.Unit.Code, step.Unit.Name, step.Unit.Kind, step.Unit.ParentCode,
            step.Action switch { UnitImportAction.Add => "added", UnitImportAction.Change => "changed", _ => "unchanged" }, step.Changes))],
        [.. plan.Errors.Select(error => new UnitImportErrorResponse(UnitImport.LineOf(error.Where), error.Where, error.Message))]);
}

/// <param name="Line">The line of the CSV or the row of the sheet.</param>
/// <param name="Action"><c>added</c>, <c>changed</c> or <c>unchanged</c>.</param>
/// <param name="Changes">For <c>changed</c>, each field in words: 名称：旧 → 新.</param>
public sealed record UnitImportLineResponse(int Line, string Where, string Code, string Name, string Kind, string? Parent, string Action, IReadOnlyList<string> Changes);

/// <param name="Line">The line or sheet row at fault; 0 for the list as a whole.</param>
public sealed record UnitImportErrorResponse(int Line, string Where, string Message);

public sealed record UnitResponse(string Code, string Name, string Kind, string? Parent, DateTimeOffset UpdatedAt)
{
    public static UnitResponse From(OrgUnit unit) => new(unit.Code, unit.Name, unit.Kind, unit.ParentCode, unit.UpdatedAt);
}
