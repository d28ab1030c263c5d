namespace Aggregator.Cli;

/// <summary>Exit codes shared by every command.</summary>
public static class ExitCodes
{
    /// <summary>Everything was accepted (warnings allowed).</summary>
    public const int Ok = 0;

    /// <summary>Something was rejected.</summary>
    public const int Rejected = 1;

    /// <summary>Input could not be read: a missing file, bad JSON, an unknown format, a usage error.</summary>
    public const int BadInput = 2;

    /// <summary>The run failed after it started (the rollup failed, or it timed out); the reason is printed.</summary>
    public const int Failed = 3;

    /// <summary>Stopped by SIGINT (Ctrl+C) before the work was done: 128 + 2, as shells report it.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM before the work was done: 128 + 15.</summary>
    public const int Terminated = 143;
}
