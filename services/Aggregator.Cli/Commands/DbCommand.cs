using System.CommandLine;
using Aggregator.Cli.Hosting;
using Aggregator.Storage;
using Aggregator.Storage.Connections;
using Aggregator.Storage.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Cli.Commands;

/// <summary><c>aggregator db migrate</c>: brings the configured database's schema up to date.</summary>
public static class DbCommand
{
    public static Command Create()
    {
        var migrate = new Command("migrate", "把数据库结构升级到最新版本（按 Database__Provider、Database__ConnectionString 配置）");
        migrate.SetAction((parsed, ct) => MigrateAsync(parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error, ct));
        return new Command("db", "数据库维护") { migrate };
    }

    private static async Task<int> MigrateAsync(TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var services = new ServiceCollection().AddLogging().AddAggregatorStorage(CliConfiguration.Build());
        await using var provider = services.BuildServiceProvider();
        try
        {
            var result = await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
            await stdout.WriteLineAsync(result.AppliedScripts.Count == 0
                ? $"{result.Database}: 已是最新 up to date"
                : $"{result.Database}: 已执行 applied {string.Join(", ", result.AppliedScripts)}");
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ex is DatabaseUnavailableException or InvalidOperationException)
        {
            await stderr.WriteLineAsync($"数据库迁移失败 migration failed: {ex.Message}");
            return ExitCodes.BadInput;
        }
    }
}
