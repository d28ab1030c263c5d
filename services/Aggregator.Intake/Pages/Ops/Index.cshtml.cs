using Aggregator.Application.Operations;
using Aggregator.Application.Periods;
using Aggregator.Application.Rollups;
using Aggregator.Storage.Outbox;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Rollups;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aggregator.Intake.Pages.Ops;

/// <summary>What ops watch: health, the outbox, the queues and their error queues (with redrive), the last rollups.</summary>
public sealed class OpsModel(
    BrokerOperationsService broker, IOutboxStore outbox, HealthCheckService health, PeriodService periods, RollupQuery rollups) : PageModel
{
    private const int ShownRollups = 10;
    private const int PeekedMessages = 20;

    public HealthReport Health { get; private set; } = null!;

    public OutboxCounts Outbox { get; private set; } = null!;

    public string? OldestPending { get; private set; }

    public string Transport => broker.Transport;

    public IReadOnlyList<QueueStatus> Queues { get; private set; } = [];

    public string? QueueProblem { get; private set; }

    public IReadOnlyList<(string Queue, IReadOnlyList<FailedMessage> Messages)> Errors { get; private set; } = [];

    public IReadOnlyList<(Period Period, Rollup Rollup)> Rollups { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    [TempData]
    public bool IsError { get; set; }

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        Health = await health.CheckHealthAsync(ct);
        Outbox = await outbox.CountAsync(ct);
        var pending = await outbox.GetPendingAsync(DateTimeOffset.UtcNow, 1, ct);
        if (pending.Count > 0)
        {
            var age = DateTimeOffset.UtcNow - pending[0].CreatedAt;
            OldestPending = age.TotalMinutes >= 1 ? $"{age.TotalMinutes:0} 分钟" : $"{age.TotalSeconds:0} 秒";
        }

        var queues = await broker.ListQueuesAsync(ct);
        if (!queues.IsSuccess)
        {
            QueueProblem = $"{queues.Problem.Title}：{queues.Problem.Detail}";
        }
        else
        {
            Queues = queues.Value;
            var errors = new List<(string, IReadOnlyList<FailedMessage>)>();
            foreach (var queue in Queues.Where(q => q.Name.EndsWith(BrokerOperationsService.ErrorSuffix, StringComparison.Ordinal) && q.MessagesReady > 0))
            {
                var peeked = await broker.PeekErrorsAsync(queue.Name, PeekedMessages, ct);
                if (peeked.IsSuccess)
                {
                    errors.Add((queue.Name, peeked.Value));
                }
            }

            Errors = errors;
        }

        var recent = new List<(Period, Rollup)>();
        foreach (var period in await periods.ListAsync(ct))
        {
            recent.AddRange((await rollups.ListAsync(period.Id, ct)).Select(r => (period, r)));
        }

        Rollups = [.. recent.OrderByDescending(x => x.Item2.RequestedAt).Take(ShownRollups)];
    }

    public async Task<IActionResult> OnPostRedriveAsync(string queue, string? id, bool all)
    {
        var result = await broker.RedriveAsync(queue, all, id is null ? [] : [id], HttpContext.RequestAborted);
        (Message, IsError) = result.IsSuccess
            ? ($"已把 {result.Value.Moved.Count} 条消息移回 {result.Value.SourceQueue}" + (result.Value.NotFound.Count > 0 ? $"；{result.Value.NotFound.Count} 条已不在错误队列中。" : "。"), false)
            : ($"{result.Problem.Title}：{result.Problem.Detail}", true);
        return RedirectToPage();
    }
}
