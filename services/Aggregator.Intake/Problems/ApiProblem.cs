using Aggregator.Application.Results;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Intake.Problems;

/// <summary>
/// One failure as the API reports it (RFC 9457): HTTP status, stable English code, Chinese title and detail, and for
/// table problems the cells at fault or for malformed requests the fields at fault.
/// </summary>
public sealed record ApiProblem(int Status, string Code, string Title, string Detail)
{
    public IReadOnlyList<ApiProblemCell> Cells { get; init; } = [];

    /// <summary>How many cells are at fault; <see cref="Cells"/> lists the first of them.</summary>
    public int CellCount { get; init; }

    public IReadOnlyList<ApiFieldError> Errors { get; init; } = [];

    /// <summary>A use case's refusal, with the status the contract gives its code.</summary>
    public static ApiProblem From(Problem problem) => new(ProblemStatus.Of(problem.Code), problem.Code, problem.Title, problem.Detail)
    {
        Cells = [.. problem.Cells.Select(cell => new ApiProblemCell(cell.Cell, cell.Raw, cell.Message, cell.Rule))],
        CellCount = Math.Max(problem.CellCount, problem.Cells.Count),
        Errors = [.. problem.Errors.Select(error => new ApiFieldError(error.Field, error.Message))],
    };

    public static ApiProblem InvalidRequest(string detail, params IReadOnlyList<ApiFieldError> errors) =>
        new(StatusCodes.Status400BadRequest, ProblemCodes.InvalidRequest, "请求内容有误", detail) { Errors = errors };

    public static ApiProblem InvalidJson(string detail) =>
        new(StatusCodes.Status400BadRequest, ProblemCodes.InvalidJson, "请求体不是有效的 JSON", detail);

    public static ApiProblem InvalidUnitCode(string? code) =>
        new(StatusCodes.Status400BadRequest, ProblemCodes.InvalidUnitCode, "单位代码格式不正确",
            $"单位代码“{Printable(code)}”格式不正确：应为 1–64 个字母、数字、“_”“-”或“.”，以字母或数字开头。");

    public static ApiProblem NotFound(string what) =>
        new(StatusCodes.Status404NotFound, ProblemCodes.NotFound, "资源不存在", $"找不到{what}。");

    public static ApiProblem Forbidden(string detail) =>
        new(StatusCodes.Status403Forbidden, HttpProblemCodes.Forbidden, "无权访问", detail);

    public static ApiProblem NotYourUnit(string detail) =>
        new(StatusCodes.Status403Forbidden, ProblemCodes.NotYourUnit, "不能代其他单位操作", detail);

    public static ApiProblem PayloadTooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, HttpProblemCodes.PayloadTooLarge, "请求体过大",
            $"请求体不能超过 {limit:N0} 字节。");

    public static ApiProblem UnsupportedMediaType(string detail) =>
        new(StatusCodes.Status415UnsupportedMediaType, HttpProblemCodes.UnsupportedMediaType, "不支持的内容类型", detail);

    /// <summary>Echoes caller text into a message without control characters and at a bounded length.</summary>
    public static string Printable(string? text)
    {
        if (text is null)
        {
            return "";
        }

        var shown = new string([.. text.Take(80).Select(c => char.IsControl(c) ? '�' : c)]);
        return text.Length > 80 ? shown + "…" : shown;
    }
}

/// <summary>A cell of a refused table: its id, the text as written, what is wrong, and which check found it.</summary>
public sealed record ApiProblemCell(string Cell, string? Raw, string Message, string Rule);

/// <summary>A request field that is missing or malformed; <c>Field</c> is a JSON path such as <c>[3].kind</c>.</summary>
public sealed record ApiFieldError(string Field, string Message);
