using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Intake.Problems;

public static class ProblemMetadata
{
    /// <summary>Declares problem responses (<see cref="ProblemDocument"/>) with the given statuses for OpenAPI.</summary>
    public static TBuilder ProducesApiProblems<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ProblemDocument), ["application/problem+json"]));
        }

        return builder;
    }
}
