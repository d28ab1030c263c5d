using Microsoft.Extensions.Hosting;

namespace Aggregator.Storage.Migrations;

/// <summary>Runs the migrations before the host starts its other services, so none of them sees an old schema.</summary>
public sealed class MigrateDatabaseOnStartup(DatabaseMigrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
