using System.CommandLine;
using System.Text;
using Aggregator.Cli.Commands;
using Aggregator.Cli.Hosting;

namespace Aggregator.Cli;

/// <summary>The <c>aggregator</c> command: one file per command under Commands/, registered here.</summary>
public static class Program
{
    // Long enough to mark an unfinished rollup failed and stop the embedded pipeline; short enough for a supervisor.
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

    public static async Task<int> Main(string[] args)
    {
        Console.OutputEncoding = Encoding.UTF8;
        using var signals = new TerminationSignals(Console.Error, StopGrace);
        var exitCode = await RunAsync(args, Console.Out, Console.Error, signals.Token);
        return signals.ExitCode ?? exitCode;
    }

    /// <summary>Runs the command line in-process, writing to the given streams; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error) =>
        RunAsync(args, output, error).GetAwaiter().GetResult();

    /// <summary>Runs the command line in-process, writing to the given streams; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("政府信息公开工作年度报告汇总工具")
        {
            ValidateCommand.Create(),
            TemplateCommand.Create(),
            DemoCommand.Create(),
            RollupCommand.Create(),
            DbCommand.Create(),
            ServeCommand.Create(),
            KeysCommand.Create(),
            OpsCommand.Create(),
            ImportCommand.Create(),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // Usage errors share exit code 2 with unreadable input, so that 1 always means "rejected".
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync(parseError.Message);
            }

            await error.WriteLineAsync("用法见 aggregator --help");
            return ExitCodes.BadInput;
        }

        // Signals are the caller's (Main's TerminationSignals), so that every command stops the same way.
        var exitCode = await parsed.InvokeAsync(
            new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null }, cancellationToken);
        if (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("已中断：命令未完成。已存储的数据保持一致；未完成的汇总已标记为失败（rollup_interrupted），可重新运行。");
            return ExitCodes.Interrupted;
        }

        return exitCode;
    }
}
