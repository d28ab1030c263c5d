using Aggregator.Application.Results;
using Aggregator.Intake.Problems;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Intake.Endpoints;

internal static class EndpointResults
{
    public static IResult ToResult(this Problem problem) => new ProblemResult(ApiProblem.From(problem));

    public static IResult ToResult(this ApiProblem problem) => new ProblemResult(problem);
}
