using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Aggregator.Intake.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Aggregator.Intake.Problems;

/// <summary>Writes an <see cref="ApiProblem"/> as <c>application/problem+json</c>, whatever the request's Accept header says.</summary>
public static class ProblemWriter
{
    public const string ContentType = "application/problem+json; charset=utf-8";

    public static async Task WriteAsync(HttpContext context, ApiProblem problem)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = problem.Status;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-store";
        response.Headers.Remove(HeaderNames.ContentLength);
        await JsonSerializer.SerializeAsync(response.Body, ToDocument(context, problem), ApiJson.Options, context.RequestAborted);
    }

    public static ProblemDocument ToDocument(HttpContext context, ApiProblem problem) => new()
    {
        Type = TypeOf(problem.Code),
        Title = problem.Title,
        Status = problem.Status,
        Detail = problem.Detail,
        Instance = context.Request.Path.Value,
        Code = problem.Code,
        TraceId = Activity.Current?.Id ?? context.TraceIdentifier,
        Cells = problem.Cells.Count > 0 ? problem.Cells : null,
        CellCount = problem.Cells.Count > 0 ? Math.Max(problem.CellCount, problem.Cells.Count) : null,
        Errors = problem.Errors.Count > 0 ? problem.Errors : null,
    };

    public static string TypeOf(string code) => "urn:aggregator:problem:" + code;
}

/// <summary>The problem details document (RFC 9457) with the contract's extension members.</summary>
public sealed record ProblemDocument
{
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    [JsonPropertyName("title")]
    public required string Title { get; init; }

    [JsonPropertyName("status")]
    public required int Status { get; init; }

    [JsonPropertyName("detail")]
    public required string Detail { get; init; }

    [JsonPropertyName("instance")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Instance { get; init; }

    [JsonPropertyName("code")]
    public required string Code { get; init; }

    [JsonPropertyName("traceId")]
    public required string TraceId { get; init; }

    [JsonPropertyName("cells")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ApiProblemCell>? Cells { get; init; }

    /// <summary>How many cells are at fault; <c>cells</c> lists the first of them.</summary>
    [JsonPropertyName("cell_count")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? CellCount { get; init; }

    [JsonPropertyName("errors")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ApiFieldError>? Errors { get; init; }
}
