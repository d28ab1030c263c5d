using System.Collections.Concurrent;
using System.Net;
using Aggregator.Cli.Demo;
using Aggregator.Testing.Databases;
using Aggregator.Testing.Faults;
using Aggregator.Testing.Waiting;

namespace Aggregator.Pipeline.Tests.Support;

/// <summary>
/// A bounded load of submissions sent over HTTP, one per unit of a generated district, with what the API answered
/// each; the expected rollup is summed here from the values each accepted submission carried.
/// </summary>
public sealed class SubmissionLoad
{
    private readonly ConcurrentDictionary<string, Guid> accepted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> refused = new(StringComparer.Ordinal);
    private int sent;

    private SubmissionLoad(DistrictScenario scenario, Guid periodId)
    {
        Scenario = scenario;
        PeriodId = periodId;
    }

    public DistrictScenario Scenario { get; }

    public Guid PeriodId { get; }

    public int Sent => sent;

    public int Accepted => accepted.Count;

    /// <summary>Unit code → submission id of every submission answered 202.</summary>
    public IReadOnlyDictionary<string, Guid> AcceptedSubmissions => accepted;

    /// <summary>How the API answered the submissions it did not accept: status (or the client error) → count.</summary>
    public IReadOnlyDictionary<string, int> Refused => refused;

    /// <summary>Registers a district of <paramref name="units"/> valid submitters and opens its 2019 period.</summary>
    public static async Task<SubmissionLoad> PrepareAsync(ApiClient api, int units, int seed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(api);
        var scenario = DistrictScenario.Create(unitCount: units, seed: seed, withMistakes: false, missing: 0);
        await api.RegisterAsync(scenario, ct);
        return new SubmissionLoad(scenario, await api.OpenPeriodAsync(scenario.Root.Code, ct));
    }

    /// <summary>
    /// Sends the submissions numbered <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive),
    /// <paramref name="parallel"/> at a time, each sender pausing <paramref name="pause"/> after each request.
    /// </summary>
    public async Task SendAsync(ApiClient api, int from, int to, int parallel, TimeSpan pause, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(api);
        var next = from - 1;
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < to)
            {
                await SendOneAsync(api, Scenario.Submissions[index], ct);
                if (pause > TimeSpan.Zero)
                    await Task.Delay(pause, ct);
            }
        }));
    }

    /// <summary>Cell-wise sums of the values the accepted submissions carried, as the unit meant them.</summary>
    public IReadOnlyDictionary<string, decimal> ExpectedSums() => Scenario.Submissions
        .Where(s => accepted.ContainsKey(s.Unit.Code))
        .SelectMany(s => s.IntendedValues)
        .GroupBy(v => v.Key, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Sum(v => v.Value), StringComparer.Ordinal);

    /// <summary>
    /// Waits until every accepted submission has its validation outcome; returns the ledger then.
    /// </summary>
    public async Task<PipelineLedger> WaitForConvergenceAsync(
        TestDatabase database, TimeSpan timeout, CancellationToken ct, Func<string>? context = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        PipelineLedger? last = null;
        string? error = null;
        return await Poll.ForAsync(
            async token =>
            {
                var (ledger, failure) = await PipelineLedger.TryReadAsync(database, token);
                (last, error) = (ledger ?? last, failure);
                return last is { Waiting: 0 } && last.Results >= Accepted ? last : null;
            },
            $"{Accepted} accepted submissions validated",
            timeout,
            ct,
            () => $"{last}{(error is null ? string.Empty : $" (the last read failed: {error})")}\n{context?.Invoke()}");
    }

    /// <summary>
    /// Requests a rollup of the period and asserts it includes every accepted submission, lists none as pending, and
    /// has the sums <see cref="ExpectedSums"/> computed, cell by cell.
    /// </summary>
    public async Task AssertRollupAsync(ApiClient api, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(api);
        var rollupId = await api.RequestRollupAsync(PeriodId, ct);
        var (rollup, _) = await api.WaitForReportAsync(rollupId, timeout, ct);

        Assert.Equal("completed", rollup["status"]!.GetValue<string>());
        Assert.Empty(rollup["pending"]!.AsArray());
        Assert.Empty(rollup["rejected"]!.AsArray());
        var included = rollup["included"]!.AsArray().ToDictionary(
            u => u!["unit_code"]!.GetValue<string>(), u => u!["submission_id"]!.GetValue<Guid>(), StringComparer.Ordinal);
        Assert.Equal(accepted.OrderBy(p => p.Key, StringComparer.Ordinal), included.OrderBy(p => p.Key, StringComparer.Ordinal));
        ScenarioExpectations.AssertSums(ExpectedSums(), rollup["values"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<decimal>()));
    }

    private async Task SendOneAsync(ApiClient api, GeneratedSubmission submission, CancellationToken ct)
    {
        Interlocked.Increment(ref sent);
        try
        {
            var (status, body) = await api.PostAsync($"periods/{PeriodId}/submissions", submission.Document.ToJson(), ct);
            if (status == HttpStatusCode.Accepted)
                accepted[submission.Unit.Code] = body!["submission_id"]!.GetValue<Guid>();
            else
                refused.AddOrUpdate(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            refused.AddOrUpdate(exception.GetType().Name, 1, (_, n) => n + 1);
        }
    }
}
