using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Aggregator.Pipeline.Tests.Support;
using Aggregator.Testing.Brokers;
using Aggregator.Testing.Databases;
using Aggregator.Testing.Faults;
using Aggregator.Testing.Processes;
using Aggregator.Testing.Waiting;
using Dapper;
using Npgsql;

namespace Aggregator.Pipeline.Tests.EndToEnd;

/// <summary>The fault tests run one at a time, after the others: each loads the machine and some stop a server.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultInjectionCollection
{
    public const string Name = "Fault injection";
}

/// <summary>
/// The distributed mode as deployed (the API and the workers as separate processes, RabbitMQ, PostgreSQL) under a
/// bounded load while a fault strikes: every submission answered 202 ends validated exactly once, none is lost, and
/// a rollup equals the sum, computed here, of what the accepted submissions carried.
/// </summary>
[Collection(FaultInjectionCollection.Name)]
public sealed class FaultInjectionTests(ITestOutputHelper output)
{
    private const string ValidationQueue = "aggregator-validate-submission";
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(90);

    // MassTransit's own backoff left a worker without consumers for up to ~40 s after the broker returned; the capped
    // reconnect pause (2 s) plus connecting and declaring the topology on a loaded machine stays well under this.
    private static readonly TimeSpan ConsumingAgainWithin = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_validation_worker_killed_mid_load_loses_nothing_and_validates_each_submission_once()
    {
        const int Units = 200;
        await using var database = await TestDatabases.PostgresAsync();
        await using var broker = await TestBroker.CreateAsync(Ct);
        await using var pipeline = await ProcessPipeline.StartAsync(database.Settings, broker.MessagingSettings(), Ct);
        using var api = pipeline.CreateClient();
        var load = await SubmissionLoad.PrepareAsync(api, Units, seed: 101, Ct);
        var victim = pipeline.Workers.Single(w => w.Name.StartsWith(ProcessPipeline.ValidationWorker, StringComparison.Ordinal));

        var sending = load.SendAsync(api, 0, Units, parallel: 4, pause: TimeSpan.FromMilliseconds(40), Ct);
        // Killed while it is busy: it has validated some, holds unacknowledged deliveries, and more keep coming.
        await Poll.UntilAsync(
            async token => (await PipelineLedger.ReadAsync(database, token)).Results >= Units / 5,
            "the first validation worker busy with the load", Convergence, Ct, pipeline.Tails);
        await victim.KillAsync();
        var sentAtKill = load.Sent;
        var validatedAtKill = (await PipelineLedger.ReadAsync(database, Ct)).Results;
        var outage = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        await pipeline.StartWorkerAsync(ProcessPipeline.ValidationWorker, Ct);
        var replaced = outage.Elapsed;
        var sinceReplaced = Stopwatch.StartNew();
        await sending;

        var ledger = await load.WaitForConvergenceAsync(database, Convergence, Ct, pipeline.Tails);
        var (_, duplicated) = pipeline.ValidationDeliveriesSoFar();
        var figures = Figures("validation worker kill -9 mid-load", load, ledger, duplicated, sinceReplaced.Elapsed, "the replacement worker was ready");
        output.WriteLine(figures.ToString());
        output.WriteLine($"killed after {sentAtKill} sent and {validatedAtKill} validated; replacement ready {replaced.TotalSeconds:0.0} s after the kill");

        Assert.True(sentAtKill < Units, $"the worker was killed after the load ended ({sentAtKill} sent)");
        Assert.True(validatedAtKill < load.Accepted, "the killed worker had validated everything already");
        Assert.Empty(load.Refused);
        AssertValidatedExactlyOnce(load, ledger);
        await load.AssertRollupAsync(api, Convergence, Ct);
    }

    [Fact]
    public async Task A_broker_stopped_and_started_mid_load_loses_nothing_and_validates_each_submission_once()
    {
        const int Units = 150;
        var clock = Stopwatch.StartNew();
        await using var node = await PrivateRabbitMq.StartAsync(Ct);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: private node {node.NodeName} on {node.Port}");
        await using var database = await TestDatabases.PostgresAsync();
        await using var pipeline = await ProcessPipeline.StartAsync(database.Settings, node.MessagingSettings(), Ct);
        using var api = pipeline.CreateClient();
        var load = await SubmissionLoad.PrepareAsync(api, Units, seed: 202, Ct);
        var validation = pipeline.Workers.Single(w => w.Name.StartsWith(ProcessPipeline.ValidationWorker, StringComparison.Ordinal));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: processes started, period open");

        await load.SendAsync(api, 0, Units / 3, parallel: 4, pause: TimeSpan.Zero, Ct);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: first third sent; stopping the broker");
        // The outage starts with the stop: the node closes its connections first and then takes a while to halt.
        var outage = Stopwatch.StartNew();
        var stopping = node.StopServerAsync(Ct);
        await load.SendAsync(api, Units / 3, 2 * Units / 3, parallel: 2, pause: TimeSpan.FromMilliseconds(150), Ct);
        var sentDuringOutageIn = outage.Elapsed;
        var acceptedDuringOutage = load.Accepted - (Units / 3);
        await stopping;
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: broker stopped");
        await Poll.UntilAsync(async token => !await validation.IsReadyAsync(token), "the validation worker not ready without its broker",
            TimeSpan.FromSeconds(20), Ct, pipeline.Tails);
        // The node takes several seconds to boot, so the outage lasts about 20 s in all.
        if (outage.Elapsed < TimeSpan.FromSeconds(12))
            await Task.Delay(TimeSpan.FromSeconds(12) - outage.Elapsed, Ct);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: starting the broker");
        // Watched from before the start: the workers may connect while the node is still finishing its start-up.
        var consumingAgain = WaitUntilEveryWorkerConsumesAsync(pipeline);
        await node.StartServerAsync(Ct);
        var down = outage.Elapsed;
        var backTimestamp = Stopwatch.GetTimestamp();
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: broker back");
        var back = Stopwatch.StartNew();
        await load.SendAsync(api, 2 * Units / 3, Units, parallel: 4, pause: TimeSpan.Zero, Ct);
        var consumingTimestamp = await consumingAgain;
        var consumingAfter = Stopwatch.GetElapsedTime(node.ListeningTimestamp, consumingTimestamp);
        output.WriteLine($"every worker consuming again {consumingAfter.TotalSeconds:0.0} s after the broker opened its port "
            + $"({Stopwatch.GetElapsedTime(backTimestamp, consumingTimestamp).TotalSeconds:0.0} s after it reported its start-up complete)");
        var consumers = await node.QueueConsumersAsync(Ct);
        output.WriteLine("consumers: " + string.Join(", ", consumers.Select(pair => $"{pair.Key} {pair.Value}")));
        var workQueues = consumers.Where(pair => pair.Key.StartsWith("aggregator-", StringComparison.Ordinal)
            && !pair.Key.EndsWith("_error", StringComparison.Ordinal) && !pair.Key.EndsWith("_skipped", StringComparison.Ordinal)).ToList();
        Assert.Contains(workQueues, pair => pair.Key == ValidationQueue);
        Assert.All(workQueues, pair => Assert.True(pair.Value >= 1, $"{pair.Key} has no consumer although every worker is ready"));

        var ledger = await load.WaitForConvergenceAsync(database, Convergence, Ct, pipeline.Tails);
        var (_, duplicated) = pipeline.ValidationDeliveriesSoFar();
        var figures = Figures($"broker stopped for {down.TotalSeconds:0} s mid-load", load, ledger, duplicated, back.Elapsed, "the broker was back");
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: converged");
        output.WriteLine(figures.ToString());
        output.WriteLine($"accepted while the broker was down: {acceptedDuringOutage} in {sentDuringOutageIn.TotalSeconds:0.0} s; the broker took {node.StartupTime.TotalSeconds:0.0} s to start again");

        Assert.True(consumingAfter < ConsumingAgainWithin,
            $"the workers consumed again {consumingAfter.TotalSeconds:0.0} s after the broker opened its port (bound {ConsumingAgainWithin.TotalSeconds:0} s)");
        Assert.Empty(load.Refused);
        Assert.Equal(Units / 3, acceptedDuringOutage);
        AssertValidatedExactlyOnce(load, ledger);
        foreach (var process in pipeline.Workers.Append(pipeline.Intake))
            await process.WaitUntilReadyAsync(TimeSpan.FromSeconds(30), Ct);
        await load.AssertRollupAsync(api, Convergence, Ct);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: rollup checked");
    }

    [Fact]
    public async Task A_submission_whose_validation_failed_into_the_error_queue_is_validated_once_when_redriven()
    {
        const int Units = 30;
        await using var database = await TestDatabases.PostgresAsync();
        await using var broker = await TestBroker.CreateAsync(Ct);
        // The reconciler waits longer than the test: only the redrive may bring the failed message back.
        await using var pipeline = await ProcessPipeline.StartAsync(
            database.Settings, broker.MessagingSettings(), Ct, new Dictionary<string, string?> { ["Reconciler:StalledAfter"] = "01:00:00" });
        using var api = pipeline.CreateClient();
        var load = await SubmissionLoad.PrepareAsync(api, Units, seed: 303, Ct);
        var poisoned = load.Scenario.Submissions[Units / 2].Unit.Code;
        await RefuseOutcomesOfAsync(database, poisoned);

        await load.SendAsync(api, 0, Units, parallel: 4, pause: TimeSpan.Zero, Ct);
        var submissionId = load.AcceptedSubmissions[poisoned];
        var failed = await Poll.ForAsync(
            async token =>
            {
                var (status, body) = await api.GetAsync($"ops/errors/{ValidationQueue}", token);
                // MassTransit declares the error queue with the first fault.
                if (status == HttpStatusCode.NotFound)
                    return null;
                Assert.Equal(HttpStatusCode.OK, status);
                return body!["messages"]!.AsArray().FirstOrDefault(m => m!["submission_id"]?.GetValue<Guid>() == submissionId);
            },
            $"the validation request of {poisoned} in {ValidationQueue}_error", Convergence, Ct, pipeline.Tails);
        await Poll.UntilAsync(
            async token => (await PipelineLedger.ReadAsync(database, token)).Results == load.Accepted - 1,
            "every other submission validated", Convergence, Ct, pipeline.Tails);
        var before = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"submissions/{submissionId}", Ct));

        await HealAsync(database);
        var redrive = Stopwatch.StartNew();
        var moved = await api.ExpectAsync(HttpStatusCode.OK, api.PostAsync(
            $"ops/errors/{ValidationQueue}/redrive", new JsonObject { ["ids"] = new JsonArray(failed["message_id"]!.GetValue<string>()) }.ToJsonString(), Ct));
        var ledger = await load.WaitForConvergenceAsync(database, Convergence, Ct, pipeline.Tails);
        var (_, duplicated) = pipeline.ValidationDeliveriesSoFar();
        var figures = Figures("a poison message redriven", load, ledger, duplicated, redrive.Elapsed, "the redrive");
        output.WriteLine(figures.ToString());
        output.WriteLine($"in the error queue: {failed["exception_type"]}: {failed["exception_message"]}");

        Assert.Empty(load.Refused);
        Assert.Equal("received", before["status"]!.GetValue<string>());
        Assert.Equal("Npgsql.PostgresException", failed["exception_type"]!.GetValue<string>());
        Assert.Contains("injected fault", failed["exception_message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, moved["moved_count"]!.GetValue<int>());
        AssertValidatedExactlyOnce(load, ledger);
        var after = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"ops/errors/{ValidationQueue}", Ct));
        Assert.Empty(after["messages"]!.AsArray());
        Assert.Equal(0, ledger.Reannounced);
        await load.AssertRollupAsync(api, Convergence, Ct);
    }

    /// <summary>
    /// When (<see cref="Stopwatch.GetTimestamp"/>) every live worker answered ready, which it does only once each of
    /// its receive endpoints has its consumer on the broker again; probed a few times a second.
    /// </summary>
    private static async Task<long> WaitUntilEveryWorkerConsumesAsync(ProcessPipeline pipeline)
    {
        var workers = pipeline.Workers.Where(w => !w.HasExited).ToList();
        await Poll.UntilAsync(
            async token =>
            {
                if ((await Task.WhenAll(workers.Select(w => w.IsReadyAsync(token)))).All(ready => ready))
                    return true;
                await Task.Delay(150, token);
                return false;
            },
            "every worker ready (consuming) after the broker was back", Convergence, Ct, pipeline.Tails);
        return Stopwatch.GetTimestamp();
    }

    private static FaultFigures Figures(
        string fault, SubmissionLoad load, PipelineLedger ledger, int duplicated, TimeSpan converged, string since) =>
        new(fault, load.Sent, load.Accepted, ledger.Results, load.Accepted - ledger.Results,
            duplicated, ledger.Reannounced, converged, since);

    private static void AssertValidatedExactlyOnce(SubmissionLoad load, PipelineLedger ledger)
    {
        Assert.Equal(load.Accepted, ledger.Versions);
        Assert.Equal(0, ledger.Waiting);
        Assert.Equal(load.Accepted, ledger.Results);
        Assert.Equal(0, ledger.ResultsRepeated);
        Assert.Equal(load.Accepted, ledger.AuditedValidations);
    }

    // A fault the database raises for one unit only, as a revoked grant or a full disk would for all: the consumer's
    // retries fail, the request goes to the error queue, and only dropping the trigger heals it.
    private static async Task RefuseOutcomesOfAsync(TestDatabase database, string unitCode)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
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

    private static async Task HealAsync(TestDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.ExecuteAsync(new CommandDefinition(
            "DROP TRIGGER test_refuse_outcome ON validation_results; DROP FUNCTION test_refuse_outcome();", cancellationToken: Ct));
    }
}
