using Aggregator.Contracts;
using Aggregator.Messaging.Outbox;
using Aggregator.Messaging.Tests.Support;
using Aggregator.Storage.Outbox;
using Aggregator.Testing.Brokers;
using Aggregator.Testing.Waiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aggregator.Messaging.Tests;

/// <summary>
/// The relay and the sweeper against a real bus, over <see cref="InMemoryOutboxStore"/>: a list-backed store
/// written for these tests; the SQL stores are tested by the storage tests.
/// </summary>
public sealed class OutboxRelayTests
{
    private static readonly IReadOnlyDictionary<string, string?> FastSweeps = new Dictionary<string, string?>
    {
        ["Messaging:Outbox:SweepInterval"] = "00:00:00.200",
        ["Messaging:Outbox:SweepMinimumAge"] = "00:00:00",
        ["Messaging:Outbox:PublishTimeout"] = "00:00:01",
        ["Messaging:Outbox:ClaimLease"] = "00:00:01.500",
    };

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rows_stored_while_the_broker_is_unreachable_stay_pending_with_attempts_counted_then_are_all_delivered()
    {
        const int count = 40;
        await using var broker = await TestBroker.CreateAsync(Cancellation);
        await using var proxy = TcpProxy.Start(broker.Host, broker.Port);
        var settings = new Dictionary<string, string?>(broker.MessagingSettings())
        {
            ["Messaging:RabbitMq:Uri"] = new UriBuilder(broker.Uri) { Port = proxy.Port }.Uri.ToString(),
        };
        var store = new InMemoryOutboxStore(TimeProvider.System);
        using var host = BuildRelayingHost(settings.Concat(FastSweeps), store, withConsumer: true);
        await host.StartAsync(Cancellation);
        var log = host.Services.GetRequiredService<DeliveryLog>();

        proxy.Interrupt();
        var sent = await AddSubmissionsAsync(store, count);
        host.Services.GetRequiredService<IOutboxSignal>().Notify();
        await Poll.UntilAsync(
            () => store.Snapshot().All(row => row.Attempts >= 2),
            "two failed attempts recorded on every row",
            TimeSpan.FromSeconds(60),
            Cancellation,
            () => "attempts " + string.Join(", ", store.Snapshot().Select(row => row.Attempts)));
        var duringOutage = store.Snapshot();
        var consumedDuringOutage = log.Consumed.Count;

        proxy.Restore();
        await Poll.UntilAsync(
            () => log.DistinctConsumed.Count >= count && store.Snapshot().All(row => row.PublishedAt is not null),
            $"all {count} rows delivered and marked published after the broker came back",
            TimeSpan.FromSeconds(90),
            Cancellation,
            () => $"{log.DistinctConsumed.Count} delivered, {store.Snapshot().Count(row => row.PublishedAt is null)} unmarked");
        await host.StopAsync(Cancellation);

        Assert.All(duringOutage, row => Assert.Null(row.PublishedAt));
        Assert.All(duringOutage, row => Assert.False(string.IsNullOrEmpty(row.LastError)));
        Assert.Equal(0, consumedDuringOutage);
        Assert.Equal(sent, log.DistinctConsumed);
    }

    [Fact]
    public async Task Rows_already_marked_published_are_not_published_again_by_the_sweeper()
    {
        var store = new InMemoryOutboxStore(TimeProvider.System);
        var alreadyPublished = Enumerable.Range(0, 3).Select(_ => Submissions.New()).ToList();
        foreach (var message in alreadyPublished)
        {
            var payload = OutboxPayload.Serialize(message);
            store.AddPublished(payload.MessageType, payload.Json);
        }

        var pending = await AddSubmissionsAsync(store, 5);
        using var host = BuildRelayingHost(InMemorySettings().Concat(FastSweeps), store, withConsumer: true);
        await host.StartAsync(Cancellation);
        var log = host.Services.GetRequiredService<DeliveryLog>();

        await log.WaitForAsync(() => log.Consumed.Count >= pending.Count, "the pending rows consumed", TimeSpan.FromSeconds(10), Cancellation);
        // Several more sweeps over the same rows; none may publish anything again.
        await store.WhenReadAsync(store.Reads + 5, TimeSpan.FromSeconds(10), Cancellation);
        await host.StopAsync(Cancellation);

        Assert.Equal(pending.Order(), log.Consumed.Order());
        Assert.All(store.Snapshot().Skip(alreadyPublished.Count), row => Assert.Equal(1, row.TimesMarked));
        Assert.All(store.Snapshot().Take(alreadyPublished.Count), row => Assert.Equal(0, row.TimesMarked));
    }

    [Fact]
    public async Task A_signal_after_commit_relays_at_once_instead_of_at_the_next_sweep()
    {
        var settings = new Dictionary<string, string?>(InMemorySettings()) { ["Messaging:Outbox:SweepInterval"] = "01:00:00" };
        var store = new InMemoryOutboxStore(TimeProvider.System);
        using var host = BuildRelayingHost(settings, store, withConsumer: true);
        await host.StartAsync(Cancellation);
        var log = host.Services.GetRequiredService<DeliveryLog>();
        // After the start-up pass only a signal or the hour-long interval can publish what follows.
        await store.WhenReadAsync(1, TimeSpan.FromSeconds(10), Cancellation);

        var unsignalled = await AddSubmissionsAsync(store, 1);
        var signalled = await AddSubmissionsAsync(store, 1);
        var readsBeforeSignal = store.Reads;
        host.Services.GetRequiredService<IOutboxSignal>().Notify();
        await log.WaitForAsync(() => log.Consumed.Count >= 2, "both rows relayed after the signal", TimeSpan.FromSeconds(10), Cancellation);
        await host.StopAsync(Cancellation);

        Assert.Equal(1, readsBeforeSignal);
        Assert.Equal(2, store.Reads);
        Assert.Equal(unsignalled.Concat(signalled).ToHashSet(), log.DistinctConsumed);
    }

    [Fact]
    public async Task A_row_that_names_no_contract_is_counted_as_failed_and_does_not_hold_up_the_rows_behind_it()
    {
        var settings = new Dictionary<string, string?>(InMemorySettings()) { ["Messaging:Outbox:BatchSize"] = "2" };
        var store = new InMemoryOutboxStore(TimeProvider.System);
        var poison = await store.AddAsync("Aggregator.Contracts.SubmissionDeleted", "{}", Cancellation);
        var good = await AddSubmissionsAsync(store, 3);
        using var host = MessagingHosts.Build(
            settings,
            bus => bus.AddConsumer<RecordSubmissionConsumer>(),
            services => services.AddSingleton<IOutboxStore>(store).AddSingleton<OutboxRelay>());
        await host.StartAsync(Cancellation);
        var log = host.Services.GetRequiredService<DeliveryLog>();

        var result = await host.Services.GetRequiredService<OutboxRelay>().PublishPendingAsync(Cancellation);
        await log.WaitForAsync(() => log.Consumed.Count >= good.Count, "the good rows consumed", TimeSpan.FromSeconds(10), Cancellation);
        await host.StopAsync(Cancellation);

        Assert.Equal(new OutboxRelayResult(Published: 3, Failed: 1), result);
        var poisonRow = store.Snapshot().Single(row => row.Id == poison);
        Assert.Null(poisonRow.PublishedAt);
        Assert.Equal(1, poisonRow.Attempts);
        Assert.Contains("SubmissionDeleted", poisonRow.LastError, StringComparison.Ordinal);
        Assert.Equal(good, log.DistinctConsumed);
    }

    [Fact]
    public async Task Several_sweepers_relaying_one_outbox_deliver_each_message_exactly_once()
    {
        const int count = 400;
        await using var broker = await TestBroker.CreateAsync(Cancellation);
        var store = new InMemoryOutboxStore(TimeProvider.System);
        var log = new DeliveryLog();
        var settings = broker.MessagingSettings().Concat(FastSweeps).ToList();
        using var first = BuildRelayingHost(settings, store, withConsumer: true, log);
        using var second = BuildRelayingHost(settings, store, withConsumer: true, log);
        await first.StartAsync(Cancellation);
        await second.StartAsync(Cancellation);

        var sent = await AddSubmissionsAsync(store, count);
        first.Services.GetRequiredService<IOutboxSignal>().Notify();
        second.Services.GetRequiredService<IOutboxSignal>().Notify();
        await Poll.UntilAsync(
            () => log.DistinctConsumed.Count >= count && store.Snapshot().All(row => row.PublishedAt is not null),
            $"all {count} rows delivered and marked published",
            TimeSpan.FromSeconds(90),
            Cancellation,
            () => $"{log.DistinctConsumed.Count} delivered");
        await Task.WhenAll(first.StopAsync(Cancellation), second.StopAsync(Cancellation));

        TestContext.Current.TestOutputHelper?.WriteLine($"{log.Consumed.Count - count} duplicate deliveries out of {count}");
        Assert.Equal(sent, log.DistinctConsumed);
        Assert.Equal(count, log.Consumed.Count);
    }

    [Fact]
    public async Task A_row_that_fails_max_attempts_times_becomes_dead_is_counted_and_is_not_relayed_again()
    {
        var settings = new Dictionary<string, string?>(InMemorySettings()) { ["Messaging:Outbox:MaxAttempts"] = "3" };
        var store = new InMemoryOutboxStore(TimeProvider.System);
        var poison = await store.AddAsync("Aggregator.Contracts.SubmissionDeleted", "{}", Cancellation);
        var good = await AddSubmissionsAsync(store, 1);
        using var host = MessagingHosts.Build(
            settings,
            bus => bus.AddConsumer<RecordSubmissionConsumer>(),
            services => services.AddSingleton<IOutboxStore>(store).AddSingleton<OutboxRelay>());
        await host.StartAsync(Cancellation);
        var relay = host.Services.GetRequiredService<OutboxRelay>();

        var passes = new List<OutboxRelayResult>();
        for (var pass = 0; pass < 4; pass++)
        {
            passes.Add(await relay.PublishPendingAsync(Cancellation));
            store.ExpireClaims();
        }

        var counts = await store.CountAsync(Cancellation);
        // Publishing returns before the in-memory consumer has run: wait for the good row's delivery, not the stop.
        var log = host.Services.GetRequiredService<DeliveryLog>();
        await log.WaitForAsync(() => log.DistinctConsumed.Count >= good.Count, "the good row consumed", TimeSpan.FromSeconds(10), Cancellation);
        await host.StopAsync(Cancellation);

        Assert.Equal([0, 0, 1, 0], passes.Select(result => result.Dead));
        Assert.Equal([1, 1, 1, 0], passes.Select(result => result.Failed));
        Assert.Equal(new OutboxCounts(Pending: 0, Dead: 1), counts);
        var poisonRow = store.Snapshot().Single(row => row.Id == poison);
        Assert.Equal((3, true), (poisonRow.Attempts, poisonRow.Dead));
        Assert.Contains("SubmissionDeleted", poisonRow.LastError, StringComparison.Ordinal);
        Assert.Equal(good, log.DistinctConsumed);
    }

    [Fact]
    public void A_rows_message_id_is_fixed_by_the_row_and_gives_the_row_back()
    {
        Assert.Equal(OutboxMessageIds.For(42), OutboxMessageIds.For(42));
        Assert.NotEqual(OutboxMessageIds.For(42), OutboxMessageIds.For(43));
        Assert.Equal(42L, OutboxMessageIds.RowOf(OutboxMessageIds.For(42)));
        Assert.Null(OutboxMessageIds.RowOf(Guid.NewGuid()));
    }

    private static IReadOnlyDictionary<string, string?> InMemorySettings() =>
        new Dictionary<string, string?> { ["Messaging:Transport"] = MessagingHosts.InMemory };

    private static IHost BuildRelayingHost(
        IEnumerable<KeyValuePair<string, string?>> settings, InMemoryOutboxStore store, bool withConsumer, DeliveryLog? sharedLog = null) =>
        MessagingHosts.Build(
            settings,
            bus =>
            {
                if (withConsumer)
                    bus.AddConsumer<RecordSubmissionConsumer>();
            },
            services =>
            {
                services.AddSingleton<IOutboxStore>(store);
                if (sharedLog is not null)
                    services.AddSingleton(sharedLog);
                services.AddOutboxRelay();
            });

    private static async Task<IReadOnlySet<Guid>> AddSubmissionsAsync(InMemoryOutboxStore store, int count)
    {
        var ids = new HashSet<Guid>();
        for (var i = 0; i < count; i++)
        {
            SubmissionReceived message = Submissions.New();
            var payload = OutboxPayload.Serialize(message);
            await store.AddAsync(payload.MessageType, payload.Json, Cancellation);
            ids.Add(message.SubmissionId);
        }

        return ids;
    }
}
