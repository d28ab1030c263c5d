using System.Text.Json;
using System.Text.Json.Serialization;
using Aggregator.Application.Results;
using Aggregator.Reporting;
using Aggregator.Storage;
using Aggregator.Storage.ReportTexts;

namespace Aggregator.Application.Reports;

/// <summary>A period's report text as the API shows it.</summary>
/// <param name="UpdatedAt">When it was last written; null when the office has written none yet.</param>
public sealed record ReportTextView(Guid PeriodId, ReportText Text, DateTimeOffset? UpdatedAt, string? UpdatedBy);

/// <summary>
/// Reads and writes the district office's own text of a period's report. The text is used by every rollup of the
/// period rendered after it was written; the computed sentences of 一 are printed beside it, never replaced.
/// </summary>
public sealed class ReportTextService(ReportTextRepository texts)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public async Task<ReportTextView?> GetAsync(Guid periodId, CancellationToken cancellationToken)
    {
        var stored = await texts.GetAsync(periodId, cancellationToken);
        return stored is null ? null : new ReportTextView(periodId, Read(stored.Content), stored.UpdatedAt, stored.UpdatedBy);
    }

    /// <summary>The text the period's report is rendered with; null when the office has written none.</summary>
    public async Task<ReportText?> GetTextAsync(Guid periodId, CancellationToken cancellationToken) =>
        (await texts.GetAsync(periodId, cancellationToken)) is { } stored ? Read(stored.Content) : null;

    /// <summary>
    /// Replaces the period's text: <c>invalid_request</c> naming each field over its length or with a line break
    /// where one line belongs, <c>period_not_found</c> for an unknown period. Audited as report_text.created/updated.
    /// </summary>
    public async Task<Result<ReportTextView>> SaveAsync(Guid periodId, ReportText text, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var problems = text.Check();
        if (problems.Count > 0)
        {
            return Problem.InvalidRequest("报告文字不符合要求。", [.. problems.Select(p => new FieldError(p.Key, p.Value))]);
        }

        var normalised = Normalise(text);
        var summary = new
        {
            parts = Parts(normalised).Where(p => p.Value is not null).Select(p => p.Key).ToList(),
            characters = Parts(normalised).Sum(p => p.Value?.Length ?? 0),
            published_on = normalised.PublishedOn,
        };
        try
        {
            var stored = await texts.SaveAsync(periodId, JsonSerializer.Serialize(normalised, Json), summary, actor, cancellationToken);
            return stored is null
                ? Problem.PeriodNotFound(periodId)
                : new ReportTextView(periodId, normalised, stored.UpdatedAt, stored.UpdatedBy);
        }
        catch (DuplicateRecordException)
        {
            return Problem.Of(ProblemCodes.Conflict, "报告文字正被同时修改", $"填报期 {periodId} 的报告文字正被另一请求写入，请重试。");
        }
    }

    private static ReportText Read(string content) =>
        JsonSerializer.Deserialize<ReportText>(content, Json) ?? new ReportText();

    // Blank parts are not supplied: the report keeps its placeholder for them.
    private static ReportText Normalise(ReportText text)
    {
        static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        return new ReportText
        {
            CompiledBy = Clean(text.CompiledBy),
            PublishedOn = text.PublishedOn,
            Contact = Clean(text.Contact),
            Address = Clean(text.Address),
            Overview = Clean(text.Overview),
            Proactive = Clean(text.Proactive),
            Applications = Clean(text.Applications),
            Management = Clean(text.Management),
            Platform = Clean(text.Platform),
            Oversight = Clean(text.Oversight),
            Problems = Clean(text.Problems),
            Other = Clean(text.Other),
        };
    }

    private static IEnumerable<KeyValuePair<string, string?>> Parts(ReportText text) =>
    [
        new("compiled_by", text.CompiledBy), new("contact", text.Contact), new("address", text.Address),
        new("overview", text.Overview), new("proactive", text.Proactive), new("applications", text.Applications),
        new("management", text.Management), new("platform", text.Platform), new("oversight", text.Oversight),
        new("problems", text.Problems), new("other", text.Other),
    ];
}
