using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;

namespace Aggregator.Intake.OpenApi;

/// <summary>Example 200 bodies for the listing endpoints the web pages read, so the reference shows real shapes.</summary>
internal sealed class ResponseExamples : IOpenApiOperationTransformer
{
    private const string Period = "01936f0e-6a2b-7c3d-9e4f-5a6b7c8d9e0f";
    private const string Submission = "01936f0e-7b3c-7d4e-8f50-6b7c8d9e0f1a";

    private static readonly Dictionary<string, string> Examples = new(StringComparer.Ordinal)
    {
        ["ListPeriods"] = $$"""
            {"periods": [{"id": "{{Period}}", "year": 2019, "form_id": "fmt_2019", "root_unit": "QL", "due_date": "2020-01-31",
              "status": "open", "expected_units": 40, "created_at": "2020-01-02T09:00:00+08:00"}]}
            """,
        ["ListPeriodSubmissions"] = $$"""
            {"period_id": "{{Period}}", "submissions": [{"submission_id": "{{Submission}}", "unit_code": "QL-SWJ", "unit_name": "区商务局",
              "version": 1, "status": "rejected", "received_at": "2020-01-20T10:15:00+08:00", "late": false}]}
            """,
        ["ListPeriodRollups"] = $$"""
            {"period_id": "{{Period}}", "rollups": [{"rollup_id": "01936f0e-8c4d-7e5f-9061-7c8d9e0f1a2b", "unit_code": "QL", "status": "completed",
              "requested_at": "2020-02-01T09:00:00+08:00", "completed_at": "2020-02-01T09:00:02+08:00", "error": null, "error_code": null, "stale": false}]}
            """,
        ["GetCompleteness"] = $$"""
            {"period_id": "{{Period}}", "due_date": "2020-01-31", "expected": 40, "submitted": 39, "accepted": 36, "rejected": 3, "missing": 1,
             "units": [
              {"unit_code": "QL-SWJ", "unit_name": "区商务局", "status": "rejected", "submission_id": "{{Submission}}", "version": 1,
               "received_at": "2020-02-03T10:15:00+08:00", "late": true, "days_late": 3,
               "failing_rules": [{"rule": "S3-RESULT-TOTAL", "severity": "error",
                 "message": "表三“自然人”列：“（七）总计”为 12，但（一）至（六）各项办理结果之和为 11"}]},
              {"unit_code": "QL-MLX", "unit_name": "梅岭乡", "status": "missing", "submission_id": null, "version": null,
               "received_at": null, "late": true, "days_late": 5, "failing_rules": []}]}
            """,
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var name = context.Description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName;
        if (name is not null && Examples.TryGetValue(name, out var example)
            && operation.Responses?.TryGetValue("200", out var response) == true
            && response.Content?.TryGetValue("application/json", out var media) == true)
        {
            media.Example = JsonNode.Parse(example);
        }

        return Task.CompletedTask;
    }
}
