using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;

namespace Aggregator.Intake.OpenApi;

/// <summary>Example 200 (or 201) bodies for the listing endpoints the web pages read, the drill-down and the bulk keys, so the reference shows real shapes.</summary>
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
        ["DrillDownRollup"] = $$"""
            {"rollup_id": "01936f0e-8c4d-7e5f-9061-7c8d9e0f1a2b", "root_unit_code": "QL", "cell_id": "s3.r1_new.total", "cell_label": "表三 新收政府信息公开申请数量 总计",
             "unit_code": "QL", "unit_name": "洞头区", "path": [{"unit_code": "QL", "unit_name": "洞头区"}], "total": 57, "stored_total": 57,
             "own": {"unit_code": "QL", "unit_name": "洞头区", "kind": "district", "has_children": true, "status": "included", "value": 3, "version": 1,
               "submission_id": "{{Submission}}", "included_units": 1},
             "children": [
              {"unit_code": "QL-SWJ", "unit_name": "区商务局", "kind": "department", "has_children": false, "status": "included", "value": 12, "version": 2,
               "submission_id": "01936f0e-7b3c-7d4e-8f50-6b7c8d9e0f1b", "included_units": 1},
              {"unit_code": "QL-DTJD", "unit_name": "东屏街道", "kind": "street", "has_children": true, "status": "node", "value": 42, "version": null,
               "submission_id": null, "included_units": 6},
              {"unit_code": "QL-MLX", "unit_name": "梅岭乡", "kind": "township", "has_children": false, "status": "missing", "value": null, "version": null,
               "submission_id": null, "included_units": 0}]}
            """,
        ["IssueUnitKeys"] = """
            {"count": 2, "keys": [
              {"unit_code": "QL-SWJ", "unit_name": "区商务局", "id": "01936f0e-9d5e-7f60-8172-8d9e0f1a2b3c", "key": "agk_9f3k2m8q_Xw4Lr7Tq2Vb9Nc5Hd1Jf6Kg3Mp8Sy0Zt4Ua7We2Rb5E",
               "prefix": "9f3k2m8q", "label": "2019 年度填报"},
              {"unit_code": "QL-MLX", "unit_name": "梅岭乡", "id": "01936f0e-9d5e-7f60-8172-8d9e0f1a2b3d", "key": "agk_2b7n5p1r_Qa3Zs8Wx1Ed6Rc4Tf9Vg2Yb7Hn5Uj0Mi3Kl8Op6Ln1Pq",
               "prefix": "2b7n5p1r", "label": "2019 年度填报"}]}
            """,
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var name = context.Description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName;
        if (name is not null && Examples.TryGetValue(name, out var example)
            && (operation.Responses?.TryGetValue("200", out var response) == true || operation.Responses?.TryGetValue("201", out response) == true)
            && response.Content?.TryGetValue("application/json", out var media) == true)
        {
            media.Example = JsonNode.Parse(example);
        }

        return Task.CompletedTask;
    }
}
