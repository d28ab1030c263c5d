using System.Diagnostics;

namespace Aggregator.Testing.Waiting;

/// <summary>
/// Waits for a state that no event announces (a row count, a queue, an HTTP status), checking it every
/// <see cref="Interval"/> until a bounded timeout, then fails saying what it waited for and what it last saw.
/// Where an event exists (a task, an observer), await the event instead.
/// </summary>
public static class Poll
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);

    public static Task UntilAsync(
        Func<bool> condition, string waitingFor, TimeSpan timeout, CancellationToken cancellationToken, Func<string>? lastSeen = null) =>
        UntilAsync(_ => Task.FromResult(condition()), waitingFor, timeout, cancellationToken, lastSeen);

    public static Task UntilAsync(
        Func<CancellationToken, Task<bool>> condition, string waitingFor, TimeSpan timeout, CancellationToken cancellationToken, Func<string>? lastSeen = null) =>
        RunAsync(async token => (await condition(token), true), waitingFor, timeout, cancellationToken, lastSeen);

    /// <summary>Reads <paramref name="probe"/> until it answers a non-null value, and returns that value.</summary>
    public static Task<T> ForAsync<T>(
        Func<CancellationToken, Task<T?>> probe, string waitingFor, TimeSpan timeout, CancellationToken cancellationToken, Func<string>? lastSeen = null)
        where T : class =>
        RunAsync(async token => await probe(token) is { } value ? (true, value) : (false, default(T)!), waitingFor, timeout, cancellationToken, lastSeen);

    private static async Task<T> RunAsync<T>(
        Func<CancellationToken, Task<(bool Done, T Value)>> probe, string waitingFor, TimeSpan timeout, CancellationToken cancellationToken, Func<string>? lastSeen)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (done, value) = await probe(cancellationToken);
            if (done)
            {
                return value;
            }

            if (clock.Elapsed >= timeout)
            {
                var seen = lastSeen is null ? string.Empty : $"; last seen: {lastSeen()}";
                throw new TimeoutException($"Gave up after {timeout.TotalSeconds:0.##} s waiting for {waitingFor}{seen}.");
            }

            await Task.Delay(Interval, cancellationToken);
        }
    }
}
