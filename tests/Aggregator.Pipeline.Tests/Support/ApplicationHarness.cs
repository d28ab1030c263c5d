using Aggregator.Application;
using Aggregator.Storage;
using Aggregator.Storage.Outbox;
using Aggregator.Testing.Databases;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Pipeline.Tests.Support;

/// <summary>The application use cases over a fresh, migrated database, without a bus.</summary>
public sealed class ApplicationHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private ApplicationHarness(TestDatabase database, ServiceProvider services)
    {
        Database = database;
        _services = services;
    }

    public TestDatabase Database { get; }

    public CountingOutboxSignal Signal => (CountingOutboxSignal)_services.GetRequiredService<IOutboxSignal>();

    public static async Task<ApplicationHarness> SqliteAsync(TimeProvider? clock = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        await CreateAsync(await TestDatabases.SqliteAsync(), clock, settings);

    public static async Task<ApplicationHarness> CreateAsync(TestDatabase database, TimeProvider? clock = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        await database.MigrateAsync();
        var services = new ServiceCollection();
        if (clock is not null)
        {
            services.AddSingleton(clock);
        }

        services.AddLogging();
        services.AddAggregatorStorage(database.Options);
        services.AddAggregatorApplication(new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build());
        services.AddSingleton<IOutboxSignal, CountingOutboxSignal>();
        return new ApplicationHarness(database, services.BuildServiceProvider(validateScopes: true));
    }

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Database.DisposeAsync();
    }
}
