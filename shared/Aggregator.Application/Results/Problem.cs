namespace Aggregator.Application.Results;

/// <summary>
/// Why a use case refused a request: a stable code, a Chinese title and detail, and for table problems the
/// offending cells.
/// </summary>
public sealed record Problem
{
    public required string Code { get; init; }

    public required string Title { get; init; }

    public required string Detail { get; init; }

    /// <summary>The cells at fault, for value-level problems of a submission.</summary>
    public IReadOnlyList<ProblemCell> Cells { get; init; } = [];

    /// <summary>How many cells are at fault; <see cref="Cells"/> lists the first of them.</summary>
    public int CellCount { get; init; }

    /// <summary>The request fields at fault, for <see cref="ProblemCodes.InvalidRequest"/>.</summary>
    public IReadOnlyList<FieldError> Errors { get; init; } = [];

    public static Problem Of(string code, string title, string detail) => new() { Code = code, Title = title, Detail = detail };

    public static Problem InvalidRequest(string detail, params IReadOnlyList<FieldError> errors) =>
        new() { Code = ProblemCodes.InvalidRequest, Title = "请求内容有误", Detail = detail, Errors = errors };

    public static Problem PeriodNotFound(Guid periodId) =>
        Of(ProblemCodes.PeriodNotFound, "填报期不存在", $"找不到填报期 {periodId}。");

    public static Problem NotFound(string what) => Of(ProblemCodes.NotFound, "资源不存在", $"找不到{what}。");

    public override string ToString() => $"{Code}: {Detail}";
}

/// <summary>A cell of a refused submission.</summary>
/// <param name="Raw">The text as written, when there was one.</param>
/// <param name="Rule">The value check that failed (<c>VALUE-FORMAT</c>, <c>UNKNOWN-CELL</c>, <c>ALL-NONNEG-INT</c>…).</param>
public sealed record ProblemCell(string Cell, string? Raw, string Message, string Rule);

/// <summary>A request field that is missing or malformed.</summary>
public sealed record FieldError(string Field, string Message);
