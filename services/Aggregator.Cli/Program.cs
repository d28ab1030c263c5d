using System.CommandLine;
using System.Text;
using Aggregator.Cli.Commands;

namespace Aggregator.Cli;

/// <summary>The <c>aggregator</c> command: one file per command under Commands/, registered here.</summary>
public static class Program
{
    public static Task<int> Main(string[] args)
    {
        Console.OutputEncoding = Encoding.UTF8;
        return RunAsync(args, Console.Out, Console.Error);
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
            DemoCommand.Create(),
            RollupCommand.Create(),
            DbCommand.Create(),
            ServeCommand.Create(),
            KeysCommand.Create(),
            OpsCommand.Create(),
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

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }
}
