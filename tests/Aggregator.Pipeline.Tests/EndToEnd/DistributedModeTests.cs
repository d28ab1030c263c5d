using System.Globalization;
using System.Net;
using Aggregator.Cli.Demo;
using Aggregator.Contracts;
using Aggregator.Pipeline.Tests.Support;
using Aggregator.Storage;
using Aggregator.Testing.Brokers;
using Aggregator.Testing.Databases;
using Aggregator.Testing.Waiting;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Pipeline.Tests.EndToEnd;

/// <summary>
/// The distributed mode against the real broker and database: the intake API, a validation worker and an
/// aggregation worker as separate hosts, each with its own connection to a RabbitMQ virtual host of this test.
/// </summary>
public sealed class DistributedModeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.SqlServer)]
    public async Task A_district_pushed_over_http_is_validated_rolled_up_and_reported(DatabaseProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider);
        await using var broker = await TestBroker.CreateAsync(Ct);
        await using var pipeline = await DistributedPipeline.StartAsync(database.Settings, broker.MessagingSettings(), Ct);
        using var api = pipeline.CreateClient();
        var scenario = DistrictScenario.Standard(seed: 41);
        var expected = new ScenarioExpectations(scenario);

        await api.RegisterAsync(scenario, Ct);
        var periodId = await api.OpenPeriodAsync(scenario.Root.Code, Ct);
        foreach (var submission in scenario.Submissions)
        {
            await api.SubmitAsync(periodId, submission.Document.ToJson(), Ct);
        }

        var completeness = await api.WaitForValidationAsync(periodId, scenario.Submissions.Count, Patience, Ct);
        var rollupId = await api.RequestRollupAsync(periodId, Ct);
        var (rollup, html) = await api.WaitForReportAsync(rollupId, Patience, Ct);

        Assert.Equal(expected.Missing.Count, completeness["missing"]!.GetValue<int>());
        Assert.Equal("completed", rollup["status"]!.GetValue<string>());
        expected.AssertValues(rollup["values"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<decimal>()));
        Assert.Equal(expected.Included, rollup["included"]!.AsArray().Select(u => u!["unit_code"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        expected.AssertRejected(rollup["rejected"]!.AsArray().ToDictionary(
            u => u!["unit_code"]!.GetValue<string>(),
            u => (IReadOnlyList<string>)[.. u!["rules"]!.AsArray().Select(r => r!.GetValue<string>())]));
        Assert.Equal(expected.Missing, rollup["missing"]!.AsArray().Select(u => u!["unit_code"]!.GetValue<string>()));
        Assert.Empty(rollup["validation"]!.AsArray());
        Assert.Contains(expected.Values["s3.r1_new.total"].ToString(CultureInfo.InvariantCulture), html, StringComparison.Ordinal);
        Assert.Contains(expected.Values["s2_5.license.decisions"].ToString(CultureInfo.InvariantCulture), html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consuming_the_same_submission_and_rollup_messages_again_changes_nothing()
    {
        await using var database = await TestDatabases.PostgresAsync();
        await using var broker = await TestBroker.CreateAsync(Ct);
        await using var pipeline = await DistributedPipeline.StartAsync(database.Settings, broker.MessagingSettings(), Ct);
        using var api = pipeline.CreateClient();
        var scenario = DistrictScenario.Create(unitCount: 3, seed: 5, withMistakes: false, missing: 0);
        await api.RegisterAsync(scenario, Ct);
        var periodId = await api.OpenPeriodAsync(scenario.Root.Code, Ct);
        var submissionId = await api.SubmitAsync(periodId, scenario.Submissions[0].Document.ToJson(), Ct);
        foreach (var submission in scenario.Submissions.Skip(1))
        {
            await api.SubmitAsync(periodId, submission.Document.ToJson(), Ct);
        }

        await api.WaitForValidationAsync(periodId, scenario.Submissions.Count, Patience, Ct);
        var rollupId = await api.RequestRollupAsync(periodId, Ct);
        var (before, _) = await api.WaitForReportAsync(rollupId, Patience, Ct);
        await WaitForOutboxToDrainAsync(database);
        var countsBefore = await RowCounts.ReadAsync(database, Ct);

        var bus = pipeline.Intake.Services.GetRequiredService<IBus>();
        var validated = new ConsumedMessages();
        var built = new ConsumedMessages();
        using var validationObserver = pipeline.Validation.Services.GetRequiredService<IBus>().ConnectConsumeObserver(validated);
        using var aggregationObserver = pipeline.Aggregation.Services.GetRequiredService<IBus>().ConnectConsumeObserver(built);
        var received = new SubmissionReceived { SubmissionId = submissionId, Version = 1, PeriodId = periodId, UnitCode = scenario.Submissions[0].Unit.Code };
        var requested = new RollupRequested { RollupId = rollupId, PeriodId = periodId, UnitCode = scenario.Root.Code };
        var receivedId = NewId.NextGuid();
        var requestedId = NewId.NextGuid();
        await bus.Publish(received, context => context.MessageId = receivedId, Ct);
        await bus.Publish(requested, context => context.MessageId = requestedId, Ct);
        await validated.WaitAsync(receivedId, Patience, Ct);
        await built.WaitAsync(requestedId, Patience, Ct);
        var countsAfter = await RowCounts.ReadAsync(database, Ct);
        var after = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"rollups/{rollupId}", Ct));

        Assert.Equal(countsBefore, countsAfter);
        Assert.Equal(0, countsAfter.OutboxPending);
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
    }

    [Fact]
    public async Task A_second_version_replaces_the_first_in_the_next_rollup_and_marks_the_earlier_rollup_stale()
    {
        await using var database = await TestDatabases.PostgresAsync();
        await using var broker = await TestBroker.CreateAsync(Ct);
        await using var pipeline = await DistributedPipeline.StartAsync(database.Settings, broker.MessagingSettings(), Ct);
        using var api = pipeline.CreateClient();
        var scenario = DistrictScenario.Create(unitCount: 3, seed: 8, withMistakes: false, missing: 0);
        await api.RegisterAsync(scenario, Ct);
        var periodId = await api.OpenPeriodAsync(scenario.Root.Code, Ct);
        foreach (var submission in scenario.Submissions)
        {
            await api.SubmitAsync(periodId, submission.Document.ToJson(), Ct);
        }

        await api.WaitForValidationAsync(periodId, scenario.Submissions.Count, Patience, Ct);
        var firstRollupId = await api.RequestRollupAsync(periodId, Ct);
        var (first, _) = await api.WaitForReportAsync(firstRollupId, Patience, Ct);

        var unit = scenario.Submissions[0].Unit;
        var replacement = new TableGenerator(new Random(99)).Generate(unit, TableMistake.None);
        var submissionId = await api.SubmitAsync(periodId, replacement.Document.ToJson(), Ct);
        await WaitUntilAsync(
            async () => (await api.GetAsync($"submissions/{submissionId}?version=2", Ct)).Body?["status"]?.GetValue<string>() is "accepted" or "accepted_with_warnings",
            "version 2 validated");
        await WaitUntilAsync(async () => (await api.GetAsync($"rollups/{firstRollupId}", Ct)).Body?["stale"]?.GetValue<bool>() == true, "the first rollup marked stale");
        var secondRollupId = await api.RequestRollupAsync(periodId, Ct);
        var (second, _) = await api.WaitForReportAsync(secondRollupId, Patience, Ct);

        var expected = new ScenarioExpectations(scenario).Values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        foreach (var (cell, value) in scenario.Submissions[0].IntendedValues)
        {
            expected[cell] -= value;
        }

        foreach (var (cell, value) in replacement.IntendedValues)
        {
            expected[cell] = expected.GetValueOrDefault(cell) + value;
        }

        var secondValues = second["values"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<decimal>());
        Assert.All(expected.Where(e => e.Value != 0 || secondValues.ContainsKey(e.Key)), e => Assert.Equal(e.Value, secondValues[e.Key]));
        Assert.Equal(2, second["included"]!.AsArray().Single(u => u!["unit_code"]!.GetValue<string>() == unit.Code)!["version"]!.GetValue<int>());
        Assert.Equal(1, first["included"]!.AsArray().Single(u => u!["unit_code"]!.GetValue<string>() == unit.Code)!["version"]!.GetValue<int>());
        Assert.False((await api.GetAsync($"rollups/{secondRollupId}", Ct)).Body!["stale"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_submission_stored_while_the_broker_is_unreachable_is_announced_later_and_validated()
    {
        await using var database = await TestDatabases.PostgresAsync();
        await using var broker = await TestBroker.CreateAsync(Ct);
        await using var proxy = TcpProxy.Start(broker.Host, broker.Port);
        // Every process relays the shared outbox, so the outage must cut them all off the broker.
        var throughProxy = new Dictionary<string, string?>(broker.MessagingSettings())
        {
            ["Messaging:RabbitMq:Uri"] = new UriBuilder(broker.Uri) { Port = proxy.Port }.Uri.ToString(),
        };
        await using var pipeline = await DistributedPipeline.StartAsync(database.Settings, throughProxy, Ct);
        using var api = pipeline.CreateClient();
        var scenario = DistrictScenario.Create(unitCount: 2, seed: 13, withMistakes: false, missing: 0);
        await api.RegisterAsync(scenario, Ct);
        var periodId = await api.OpenPeriodAsync(scenario.Root.Code, Ct);

        proxy.Interrupt();
        var submissionId = await api.SubmitAsync(periodId, scenario.Submissions[0].Document.ToJson(), Ct);
        // The relay has tried, and failed, to publish the submission's announcement.
        await WaitUntilAsync(async () => await OutboxFailedAttemptsAsync(database) > 0, "a failed publish attempt recorded in the outbox");
        var duringOutage = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"submissions/{submissionId}", Ct));
        var pendingDuringOutage = (await RowCounts.ReadAsync(database, Ct)).OutboxPending;
        proxy.Restore();
        await WaitUntilAsync(
            async () => (await api.GetAsync($"submissions/{submissionId}", Ct)).Body?["status"]?.GetValue<string>() is "accepted" or "accepted_with_warnings",
            "the submission validated after the broker came back");

        Assert.Equal("received", duringOutage["status"]!.GetValue<string>());
        Assert.True(pendingDuringOutage >= 1, "The submission's announcement should wait in the outbox during the outage.");
        await WaitForOutboxToDrainAsync(database);
    }

    private static async Task WaitForOutboxToDrainAsync(TestDatabase database) =>
        await WaitUntilAsync(async () => (await RowCounts.ReadAsync(database, Ct)).OutboxPending == 0, "the outbox drained");

    private static Task WaitUntilAsync(Func<Task<bool>> condition, string waitingFor) =>
        Poll.UntilAsync(_ => condition(), waitingFor, Patience, Ct);

    private static async Task<long> OutboxFailedAttemptsAsync(TestDatabase database)
    {
        await using var connection = await database.Connections.OpenAsync(Ct);
        return await connection.ExecuteScalarAsync<long>(
            new CommandDefinition("SELECT COALESCE(SUM(attempts), 0) FROM outbox WHERE published_at IS NULL", cancellationToken: Ct));
    }
}
