using Microsoft.AspNetCore.Http;

namespace Aggregator.Intake.Problems;

/// <summary>An endpoint result that answers with a problem document.</summary>
public sealed class ProblemResult(ApiProblem problem) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public ApiProblem Problem { get; } = problem;

    public int? StatusCode => Problem.Status;

    public string ContentType => ProblemWriter.ContentType;

    public Task ExecuteAsync(HttpContext httpContext) => ProblemWriter.WriteAsync(httpContext, Problem);
}
