using Aggregator.Application.Telemetry;
using Aggregator.Storage.Rollups;

namespace Aggregator.Application.Rollups;

/// <summary>
/// The last word on a rollup whose message could not be handled at all (retries spent, the message in the error
/// queue): it is marked failed with the reason, so that nobody waits on it.
/// </summary>
public sealed class RollupFaults(RollupRepository rollups, AggregatorMetrics metrics, TimeProvider time)
{
    /// <returns>Whether the rollup was marked now (false when it had already completed or failed).</returns>
    public Task<bool> RecordBuildFaultAsync(Guid rollupId, string detail, CancellationToken cancellationToken) =>
        FailAsync(rollupId, RollupFailure.BuildFailed, $"汇总计算失败：{detail}", cancellationToken);

    /// <returns>Whether the rollup was marked now (false when it had already completed or failed).</returns>
    public Task<bool> RecordRenderFaultAsync(Guid rollupId, string detail, CancellationToken cancellationToken) =>
        FailAsync(rollupId, RollupFailure.RenderFailed, $"汇总报告生成失败：{detail}", cancellationToken);

    /// <summary>
    /// Marks a rollup failed because the process that waited on it is stopping; the steps still running find it no
    /// longer requested or rendering and store nothing, so it is never half-written. Ops can retry it.
    /// </summary>
    /// <returns>Whether the rollup was marked now (false when it had already completed or failed).</returns>
    public Task<bool> RecordInterruptionAsync(Guid rollupId, CancellationToken cancellationToken) =>
        FailAsync(rollupId, RollupFailure.Interrupted, "汇总被中断：运行汇总的进程在汇总完成前被要求停止（SIGTERM 或 Ctrl+C），可重新汇总。", cancellationToken);

    private async Task<bool> FailAsync(Guid rollupId, string code, string error, CancellationToken cancellationToken)
    {
        if (!await rollups.FailAsync(rollupId, code, error, cancellationToken))
            return false;
        if (await rollups.GetAsync(rollupId, cancellationToken) is { } rollup)
            metrics.RollupFinished(time.GetUtcNow() - rollup.RequestedAt, code);
        return true;
    }
}
