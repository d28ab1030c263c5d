using Spectre.Console;

namespace Aggregator.Cli.Hosting;

/// <summary>
/// Shows a run's progress: Spectre.Console progress bars on an interactive terminal, one line per stage
/// otherwise (redirected output, tests).
/// </summary>
public static class ConsoleProgress
{
    public static async Task<T> RunAsync<T>(TextWriter output, Func<IProgress<PipelineStep>, Task<T>> work)
    {
        if (!ReferenceEquals(output, Console.Out) || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return await work(new LineProgress(output));
        }

        T result = default!;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var tasks = new Dictionary<PipelineStage, ProgressTask>
                {
                    [PipelineStage.Submitting] = context.AddTask("提交 submit"),
                    [PipelineStage.Validating] = context.AddTask("校验 validate"),
                    [PipelineStage.RollingUp] = context.AddTask("汇总 roll up"),
                };
                result = await work(new BarProgress(tasks));
            });
        return result;
    }

    private sealed class BarProgress(Dictionary<PipelineStage, ProgressTask> tasks) : IProgress<PipelineStep>
    {
        public void Report(PipelineStep value)
        {
            if (value.Stage == PipelineStage.Done)
            {
                foreach (var task in tasks.Values)
                {
                    task.Value = task.MaxValue;
                }

                return;
            }

            var bar = tasks[value.Stage];
            bar.MaxValue = Math.Max(1, value.Total);
            bar.Value = value.Done;
        }
    }

    private sealed class LineProgress(TextWriter output) : IProgress<PipelineStep>
    {
        private PipelineStage? _last;

        public void Report(PipelineStep value)
        {
            if (value.Stage == _last)
            {
                return;
            }

            _last = value.Stage;
            output.WriteLine(value.Stage switch
            {
                PipelineStage.Submitting => "提交 submitting …",
                PipelineStage.Validating => "校验 validating …",
                PipelineStage.RollingUp => "汇总 rolling up …",
                _ => "完成 done",
            });
        }
    }
}
