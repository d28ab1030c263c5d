using Aggregator.Contracts;
using Aggregator.Messaging.Outbox;
using Aggregator.Messaging.Tests.Support;
using Aggregator.Storage;
using Aggregator.Storage.Dialects;
using Aggregator.Storage.Outbox;
using Aggregator.Testing.Brokers;
using Aggregator.Testing.Databases;
using Aggregator.Testing.Waiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aggregator.Messaging.Tests;

/// <summary>Relays in separate processes over one real PostgreSQL outbox and a real broker: each row goes out once.</summary>
public sealed class OutboxClaimTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_relays_racing_on_one_postgres_outbox_publish_each_row_exactly_once()
    {
        const int count = 500;
        await using var database = await (await TestDatabases.PostgresAsync()).MigrateAsync(Cancellation);
        await using var broker = await TestBroker.CreateAsync(Cancellation);
        var writer = StoreOn(database);
        var sent = new HashSet<Guid>();
        var rowIds = new List<long>();
        for (var i = 0; i < count; i++)
        {
            SubmissionReceived message = Submissions.New();
            var payload = OutboxPayload.Serialize(message);
            rowIds.Add(await writer.AddAsync(payload.MessageType, payload.Json, Cancellation));
            sent.Add(message.SubmissionId);
        }

        var log = new DeliveryLog();
        // Batches smaller than the backlog make the relays meet on the same rows again and again.
        var settings = new Dictionary<string, string?>(broker.MessagingSettings())
        {
            ["Messaging:Outbox:SweepInterval"] = "00:00:00.050",
            ["Messaging:Outbox:SweepMinimumAge"] = "00:00:00",
            ["Messaging:Outbox:BatchSize"] = "25",
        };
        using var first = RelayingHost(settings, StoreOn(database), log);
        using var second = RelayingHost(settings, StoreOn(database), log);
        await Task.WhenAll(first.StartAsync(Cancellation), second.StartAsync(Cancellation));
        first.Services.GetRequiredService<IOutboxSignal>().Notify();
        second.Services.GetRequiredService<IOutboxSignal>().Notify();

        await Poll.UntilAsync(
            async token => log.DistinctConsumed.Count >= count && (await writer.CountAsync(token)).Pending == 0,
            $"all {count} rows delivered and marked published",
            TimeSpan.FromSeconds(120),
            Cancellation,
            () => $"{log.DistinctConsumed.Count} distinct of {log.Consumed.Count} deliveries");
        // Let any late duplicate arrive before counting.
        await Task.Delay(TimeSpan.FromSeconds(1), Cancellation);
        await Task.WhenAll(first.StopAsync(Cancellation), second.StopAsync(Cancellation));

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{count} rows, 2 relays: {log.Consumed.Count} deliveries ({(log.Consumed.Count - count) / (double)count:P1} duplicates)");
        Assert.Equal(sent, log.DistinctConsumed);
        Assert.Equal(count, log.Consumed.Count);
        Assert.Equal(new OutboxCounts(0, 0), await writer.CountAsync(Cancellation));
    }

    private static OutboxStore StoreOn(TestDatabase database) =>
        new(database.CreateConnectionFactory(), SqlDialect.For(database.Provider), new StorageClock(TimeProvider.System));

    private static IHost RelayingHost(IReadOnlyDictionary<string, string?> settings, IOutboxStore store, DeliveryLog log) =>
        MessagingHosts.Build(
            settings,
            bus => bus.AddConsumer<RecordSubmissionConsumer>(),
            services =>
            {
                services.AddSingleton(store);
                services.AddSingleton(log);
                services.AddOutboxRelay();
            });
}
