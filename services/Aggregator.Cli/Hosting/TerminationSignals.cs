using System.Runtime.InteropServices;

namespace Aggregator.Cli.Hosting;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM for the whole command line: the first cancels <see cref="Token"/>, so that the command
/// stops its work and records where it stood; if it has not returned within the grace period (or a second signal
/// comes), the process exits anyway. Every write is one transaction, so an exit at any moment leaves the database
/// consistent.
/// </summary>
public sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly TextWriter _error;
    private readonly TimeSpan _grace;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _exitCode;

    public TerminationSignals(TextWriter error, TimeSpan grace)
    {
        _error = error;
        _grace = grace;
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>130 after SIGINT, 143 after SIGTERM (128 + the signal's number, as shells report it); null before either.</summary>
    public int? ExitCode => Volatile.Read(ref _exitCode) is var code and > 0 ? code : null;

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancellation.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // The command ends the process itself, after it has recorded where it stood.
        context.Cancel = true;
        var interrupt = context.Signal == PosixSignal.SIGINT;
        var code = interrupt ? ExitCodes.Interrupted : ExitCodes.Terminated;
        var name = interrupt ? "SIGINT" : "SIGTERM";
        if (Interlocked.CompareExchange(ref _exitCode, code, 0) != 0)
        {
            _error.WriteLine($"再次收到 {name}，立即退出。");
            Environment.Exit(Volatile.Read(ref _exitCode));
        }

        _error.WriteLine($"收到 {name}，正在停止…");
        _cancellation.Cancel();
        _ = Task.Delay(_grace, CancellationToken.None).ContinueWith(
            _ =>
            {
                _error.WriteLine($"{_grace.TotalSeconds:0} 秒内未能停止，强制退出（已存储的数据不受影响）。");
                Environment.Exit(code);
            },
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);
    }
}
