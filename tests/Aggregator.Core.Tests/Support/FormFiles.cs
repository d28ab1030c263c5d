using System.Text.Json;

namespace Aggregator.Core.Tests.Support;

/// <summary>Small form files written in tests, to exercise the rule language without the national forms.</summary>
public static class FormFiles
{
    /// <summary>A form with one table <c>t</c>, one row <c>r</c>, integer columns <c>a</c> and <c>b</c>, and one rule.</summary>
    public static string Minimal(
        string id,
        int from,
        string expression = "t.r.a <= t.r.b",
        string message = "甲为 {L}，乙为 {R}",
        string severity = "error") =>
        $$"""
        {
          "id": "{{id}}",
          "title": "测试表式",
          "valid_years": { "from": {{from}}, "to": null },
          "tables": [
            {
              "id": "t",
              "title": "测试表",
              "cell_defaults": { "unit": "件", "unit_printed": false, "type": "integer" },
              "rows": [ { "id": "r", "label": "一、测试行", "level": 1, "parent": null } ],
              "columns": [
                { "id": "a", "label": "甲", "parent": null },
                { "id": "b", "label": "乙", "parent": null }
              ]
            }
          ],
          "rules": [
            {
              "id": "T-RULE",
              "official": false,
              "severity": "{{severity}}",
              "description": "测试",
              "expression": {{JsonSerializer.Serialize(expression)}},
              "message": {{JsonSerializer.Serialize(message)}}
            }
          ]
        }
        """;
}
