namespace Aggregator.Application.Rollups;

/// <summary>The stable codes a failed rollup carries beside its Chinese reason.</summary>
public static class RollupFailure
{
    /// <summary>A consolidated value does not fit (a sum overflows).</summary>
    public const string SumOverflow = "rollup_sum_overflow";

    /// <summary>Computing the sums failed for good (the message went to the error queue).</summary>
    public const string BuildFailed = "rollup_build_failed";

    /// <summary>A format of the report could not be rendered (a template error, a limit reached).</summary>
    public const string RenderFailed = "report_render_failed";

    /// <summary>The process running the rollup was told to stop before the rollup finished (SIGTERM, Ctrl+C).</summary>
    public const string Interrupted = "rollup_interrupted";

    /// <summary>A failure recorded before codes were stored.</summary>
    public const string Unknown = "rollup_failed";
}
