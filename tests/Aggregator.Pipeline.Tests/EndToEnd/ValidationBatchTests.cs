using System.Collections.Concurrent;
using System.Net;
using Aggregator.Cli.Demo;
using Aggregator.Contracts;
using Aggregator.Pipeline.Tests.Support;
using Aggregator.Storage;
using Aggregator.Storage.Submissions;
using Aggregator.Testing.Brokers;
using Aggregator.Testing.Databases;
using Aggregator.Testing.Waiting;
using Aggregator.Validation;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Pipeline.Tests.EndToEnd;

/// <summary>The validation worker consumes its queue in batches, one transaction each, on the real broker and database.</summary>
public sealed class ValidationBatchTests(ITestOutputHelper output)
{
    private const string ValidationQueue = "aggregator-validate-submission";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_burst_of_received_versions_is_validated_in_batches_once_each_and_only_the_unknown_version_is_faulted()
    {
        const int Units = 150;
        await using var database = await TestDatabases.PostgresAsync();
        await using var broker = await TestBroker.CreateAsync(Ct);
        await using var pipeline = await DistributedPipeline.StartAsync(database.Settings, broker.MessagingSettings(), Ct);
        using var api = pipeline.CreateClient();
        var scenario = DistrictScenario.Create(unitCount: Units, seed: 17, withMistakes: false, missing: 0);
        await api.RegisterAsync(scenario, Ct);
        var periodId = await api.OpenPeriodAsync(scenario.Root.Code, Ct);

        // The queue holds a burst: the versions are announced by this test, all at once.
        var received = await StoreUnannouncedAsync(pipeline, scenario, periodId);

        var unknown = new SubmissionReceived { SubmissionId = Guid.NewGuid(), Version = 1, PeriodId = periodId, UnitCode = "NO-SUCH-UNIT" };
        var deliveries = new Deliveries();
        using var observed = pipeline.Validation.Services.GetRequiredService<IBus>().ConnectConsumeObserver(deliveries);
        // The unknown version among the first, and one version announced twice: both land in batches with good ones.
        await pipeline.Intake.Services.GetRequiredService<IBus>().PublishBatch([.. received.Take(10), unknown, .. received.Skip(10), received[3]], Ct);

        var failed = await Poll.ForAsync(
            async token =>
            {
                if (await ResultsAsync(database, periodId, token) is not { Count: Units } || deliveries.Consumed + deliveries.Faulted.Count < Units + 2)
                    return null;
                var (status, body) = await api.GetAsync($"ops/errors/{ValidationQueue}", token);
                return status == HttpStatusCode.OK && body!["messages"]!.AsArray() is { Count: > 0 } messages ? messages : null;
            },
            "every version validated and the unknown one in the error queue", Patience, Ct);
        // Whatever would come twice comes within this.
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);

        var results = await ResultsAsync(database, periodId, Ct);
        var batches = results.GroupBy(r => r.ValidatedAt).Select(g => g.Count()).OrderDescending().ToList();
        output.WriteLine($"{results.Count} versions validated in {batches.Count} transactions: {string.Join(", ", batches)}");
        Assert.Equal(received.Select(r => (r.SubmissionId, r.Version)).Order(), results.Select(r => (r.SubmissionId, r.Version)).Order());
        Assert.All(results, r => Assert.Contains(r.Outcome, new[] { SubmissionStatus.Accepted, SubmissionStatus.AcceptedWithWarnings }));
        Assert.True(batches.Count < Units / 2, $"{Units} versions took {batches.Count} transactions");
        Assert.Equal(Units, await CountAsync(database, "SELECT COUNT(*) FROM audit_log WHERE action = 'submission.validated'"));
        // One message per stored batch announces its outcomes, every version exactly once.
        Assert.Equal(0, await CountAsync(database, "SELECT COUNT(*) FROM outbox WHERE message_type = 'Aggregator.Contracts.SubmissionValidated'"));
        var announcements = await AnnouncedVersionsAsync(database, Ct);
        // Batches committed in the same clock tick share a ValidatedAt, so there are at least as many messages as groups.
        Assert.InRange(announcements.Count, batches.Count, Units / 2);
        Assert.Equal(results.Select(r => (r.SubmissionId, r.Version)).Order(), announcements.SelectMany(a => a).Order());

        Assert.Equal(Units + 1, deliveries.Consumed);
        Assert.Equal([unknown.SubmissionId], deliveries.Faulted);
        var inError = Assert.Single((await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"ops/errors/{ValidationQueue}", Ct)))["messages"]!.AsArray());
        Assert.Equal(unknown.SubmissionId, inError!["submission_id"]!.GetValue<Guid>());
        Assert.Equal("Aggregator.Messaging.Faults.PermanentFailureException", inError["exception_type"]!.GetValue<string>());
        Assert.Contains($"Submission {unknown.SubmissionId} has no version 1.", inError["exception_message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(failed);
        // Batches can fill: the worker's consumer fetches at least a whole batch ahead.
        IReadOnlyList<int> prefetch = [];
        await Poll.UntilAsync(
            async token => (prefetch = await broker.GetConsumerPrefetchCountsAsync(ValidationQueue, token)).Count > 0,
            "the validation consumer listed by the broker", Patience, Ct);
        Assert.All(prefetch, count => Assert.True(count >= ValidateSubmissionDefinition.MessageLimit, $"prefetch {count}"));
    }

    [Fact]
    public async Task A_batch_whose_transaction_fails_for_one_version_is_retried_so_that_only_that_version_ends_in_the_error_queue()
    {
        const int Units = 40;
        await using var database = await TestDatabases.PostgresAsync();
        await using var broker = await TestBroker.CreateAsync(Ct);
        await using var pipeline = await DistributedPipeline.StartAsync(database.Settings, broker.MessagingSettings(), Ct);
        using var api = pipeline.CreateClient();
        var scenario = DistrictScenario.Create(unitCount: Units, seed: 23, withMistakes: false, missing: 0);
        await api.RegisterAsync(scenario, Ct);
        var periodId = await api.OpenPeriodAsync(scenario.Root.Code, Ct);
        var received = await StoreUnannouncedAsync(pipeline, scenario, periodId);

        var refused = received[Units / 2];
        await RefuseOutcomesOfAsync(database, refused.UnitCode);
        var deliveries = new Deliveries();
        using var observed = pipeline.Validation.Services.GetRequiredService<IBus>().ConnectConsumeObserver(deliveries);
        await pipeline.Intake.Services.GetRequiredService<IBus>().PublishBatch(received, Ct);

        var failed = await Poll.ForAsync(
            async token =>
            {
                var (status, body) = await api.GetAsync($"ops/errors/{ValidationQueue}", token);
                return status == HttpStatusCode.OK && body!["messages"]!.AsArray() is { Count: > 0 } messages ? messages : null;
            },
            "the refused version in the error queue", Patience, Ct);
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);

        var results = await ResultsAsync(database, periodId, Ct);
        var inError = (await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"ops/errors/{ValidationQueue}", Ct)))["messages"]!.AsArray();
        output.WriteLine($"{results.Count} stored; in the error queue: {inError.Count}: {inError.FirstOrDefault()?.ToJsonString()}");
        Assert.Equal(Units - 1, results.Count);
        Assert.DoesNotContain(results, r => r.SubmissionId == refused.SubmissionId);
        var only = Assert.Single(inError);
        Assert.Equal(refused.SubmissionId, only!["submission_id"]!.GetValue<Guid>());
        Assert.Equal("Npgsql.PostgresException", only["exception_type"]!.GetValue<string>());
        Assert.Equal([refused.SubmissionId], deliveries.Faulted.Distinct());
        Assert.Single(failed);
    }

    // A fault the database raises for one unit only: the batch holding it fails as a whole, nothing of it is stored.
    // Stored without their announcements, so that a test sends them itself, all at once.
    private static async Task<List<SubmissionReceived>> StoreUnannouncedAsync(DistributedPipeline pipeline, DistrictScenario scenario, Guid periodId)
    {
        var repository = pipeline.Intake.Services.GetRequiredService<SubmissionRepository>();
        var received = new List<SubmissionReceived>();
        foreach (var submission in scenario.Submissions)
        {
            var stored = await repository.AddVersionAsync(periodId, submission.Unit.Code, submission.Document.ToJson(), [], Actor.Cli, _ => [], Ct);
            received.Add(new SubmissionReceived { SubmissionId = stored.SubmissionId, Version = stored.Version, PeriodId = periodId, UnitCode = submission.Unit.Code });
        }

        return received;
    }

    private static async Task RefuseOutcomesOfAsync(TestDatabase database, string unitCode)
    {
        await using var connection = await database.Connections.OpenAsync(Ct);
        await connection.ExecuteAsync(new CommandDefinition($$"""
            CREATE FUNCTION test_refuse_outcome() RETURNS trigger LANGUAGE plpgsql AS $body$
            BEGIN
              IF EXISTS (SELECT 1 FROM submissions s WHERE s.id = NEW.submission_id AND s.unit_code = '{{unitCode}}') THEN
                RAISE EXCEPTION 'injected fault: no outcome may be stored for {{unitCode}}';
              END IF;
              RETURN NEW;
            END $body$;
            CREATE TRIGGER test_refuse_outcome BEFORE INSERT ON validation_results FOR EACH ROW EXECUTE FUNCTION test_refuse_outcome();
            """, cancellationToken: Ct));
    }

    private static async Task<List<Result>> ResultsAsync(TestDatabase database, Guid periodId, CancellationToken ct)
    {
        await using var connection = await database.Connections.OpenAsync(ct);
        return (await connection.QueryAsync<Result>(new CommandDefinition(
            """
            SELECT r.submission_id AS SubmissionId, r.version AS Version, r.outcome AS Outcome, r.validated_at AS ValidatedAt
            FROM validation_results r JOIN submissions s ON s.id = r.submission_id
            WHERE s.period_id = @PeriodId
            """,
            new { PeriodId = periodId },
            cancellationToken: ct))).AsList();
    }

    /// <summary>The versions each <see cref="SubmissionsValidated"/> row of the outbox announces.</summary>
    private static async Task<List<List<(Guid, int)>>> AnnouncedVersionsAsync(TestDatabase database, CancellationToken ct)
    {
        await using var connection = await database.Connections.OpenAsync(ct);
        var payloads = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT payload FROM outbox WHERE message_type = 'Aggregator.Contracts.SubmissionsValidated'", cancellationToken: ct));
        return [.. payloads.Select(payload => System.Text.Json.JsonSerializer.Deserialize<SubmissionsValidated>(payload, System.Text.Json.JsonSerializerOptions.Web)!
            .Versions.Select(v => (v.SubmissionId, v.Version)).ToList())];
    }

    private static async Task<long> CountAsync(TestDatabase database, string sql)
    {
        await using var connection = await database.Connections.OpenAsync(Ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, cancellationToken: Ct));
    }

    private sealed record Result(Guid SubmissionId, int Version, string Outcome, DateTimeOffset ValidatedAt);

    /// <summary>The validation requests the worker's bus consumed, and those it faulted.</summary>
    private sealed class Deliveries : IConsumeObserver
    {
        private int consumed;

        public int Consumed => Volatile.Read(ref consumed);

        public ConcurrentBag<Guid> Faulted { get; } = [];

        public Task PreConsume<T>(ConsumeContext<T> context)
            where T : class => Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context)
            where T : class
        {
            if (context.Message is SubmissionReceived)
                Interlocked.Increment(ref consumed);
            return Task.CompletedTask;
        }

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
            where T : class
        {
            if (context.Message is SubmissionReceived received)
                Faulted.Add(received.SubmissionId);
            return Task.CompletedTask;
        }
    }
}
