using System.Diagnostics;

namespace Aggregator.Benchmarks.Suite;

/// <summary>Progress lines on standard error while the suite runs, each with the time since the suite started.</summary>
public sealed class Progress
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly int steps;
    private int step;

    public Progress(int steps) => this.steps = steps;

    public TimeSpan Elapsed => clock.Elapsed;

    /// <summary>Starts the next step of the suite.</summary>
    public void Step(string what) => Line($"[{Interlocked.Increment(ref step)}/{steps}] {what}");

    public void Line(string text) => Console.Error.WriteLine($"[bench {clock.Elapsed:mm\\:ss}] {text}");

    /// <summary>A line at most every <paramref name="every"/>, for a long step's inner progress.</summary>
    public IProgress<string> Throttled(TimeSpan every)
    {
        TimeSpan? last = null;
        var gate = new Lock();
        return new SynchronousProgress(text =>
        {
            lock (gate)
            {
                if (last is null || clock.Elapsed - last >= every)
                {
                    last = clock.Elapsed;
                    Line("    " + text);
                }
            }
        });
    }

    // Progress<T> posts to the thread pool, so lines would arrive late and out of order.
    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
