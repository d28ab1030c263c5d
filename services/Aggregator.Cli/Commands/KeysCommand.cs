using System.CommandLine;
using Aggregator.Application.Security;
using Aggregator.Cli.Hosting;
using Aggregator.Storage;
using Aggregator.Storage.Connections;
using Aggregator.Storage.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aggregator.Cli.Commands;

/// <summary>
/// <c>aggregator keys issue --unit CODE | --role admin|ops [--label TEXT]</c>, <c>aggregator keys list</c>,
/// <c>aggregator keys revoke ID</c>: API keys in the configured database (<c>Database__Provider</c>,
/// <c>Database__ConnectionString</c>). An issued key is printed once, alone on standard output, so that a script can
/// capture it; it is stored only as a hash.
/// </summary>
public static class KeysCommand
{
    public static Command Create()
    {
        var unit = new Option<string?>("--unit") { Description = "为该单位签发单位密钥（单位须已登记）" };
        var role = new Option<string?>("--role") { Description = "签发 admin（区政府办公室）或 ops（运维，只读）密钥" };
        role.AcceptOnlyFromAmong(ApiKeyRole.Admin, ApiKeyRole.Ops);
        var label = new Option<string?>("--label") { Description = "密钥说明，如使用人或用途" };
        var issue = new Command("issue", "签发 API 密钥（密钥只显示这一次）") { unit, role, label };
        issue.Validators.Add(result =>
        {
            // Presence, not value: reading an invalid --role here would throw instead of reporting it.
            if ((result.GetResult(unit) is null) == (result.GetResult(role) is null))
            {
                result.AddError("请指定 --unit CODE 或 --role admin|ops 之一。");
            }
        });
        issue.SetAction((parsed, ct) => IssueAsync(
            parsed.GetValue(unit), parsed.GetValue(role), parsed.GetValue(label), parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error, ct));

        var list = new Command("list", "列出 API 密钥（不含密钥本身）");
        list.SetAction((parsed, ct) => ListAsync(parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error, ct));

        var id = new Argument<Guid>("id") { Description = "密钥编号（keys list 中的 id）" };
        var revoke = new Command("revoke", "吊销 API 密钥") { id };
        revoke.SetAction((parsed, ct) => RevokeAsync(parsed.GetValue(id), parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error, ct));

        return new Command("keys", "管理 API 密钥") { issue, list, revoke };
    }

    private static async Task<int> IssueAsync(string? unit, string? role, string? label, TextWriter output, TextWriter error, CancellationToken ct) =>
        await WithRegistryAsync(error, async registry =>
        {
            var request = new NewApiKey(unit is null ? role! : ApiKeyRole.Unit, unit, label ?? (unit is null ? role! : $"unit:{unit}"));
            try
            {
                var issued = await registry.IssueAsync(request, Actor.Cli, ct);
                await error.WriteLineAsync($"已签发 {issued.Stored.Role} 密钥 issued: id {issued.Stored.Id}"
                    + (issued.Stored.UnitCode is null ? "" : $", 单位 unit {issued.Stored.UnitCode}")
                    + "。密钥只显示这一次，请妥善保存 (shown once):");
                await output.WriteLineAsync(issued.Key);
                return ExitCodes.Ok;
            }
            catch (InvalidApiKeyRequestException exception)
            {
                await error.WriteLineAsync(exception.Message);
                return ExitCodes.BadInput;
            }
        });

    private static async Task<int> ListAsync(TextWriter output, TextWriter error, CancellationToken ct) =>
        await WithRegistryAsync(error, async registry =>
        {
            foreach (var key in await registry.ListAsync(ct))
            {
                await output.WriteLineAsync(string.Join('\t', key.Id, $"agk_{key.KeyPrefix}_…", key.Role, key.UnitCode ?? "-", key.Label,
                    key.CreatedAt.ToString("u"), key.RevokedAt is { } revoked ? "revoked " + revoked.ToString("u") : "active"));
            }

            return ExitCodes.Ok;
        });

    private static async Task<int> RevokeAsync(Guid id, TextWriter output, TextWriter error, CancellationToken ct) =>
        await WithRegistryAsync(error, async registry =>
        {
            if (await registry.RevokeAsync(id, Actor.Cli, ct))
            {
                await output.WriteLineAsync($"已吊销 revoked: {id}");
                return ExitCodes.Ok;
            }

            await error.WriteLineAsync($"没有有效的密钥 {id}（不存在或已被吊销）");
            return ExitCodes.BadInput;
        });

    private static async Task<int> WithRegistryAsync(TextWriter error, Func<ApiKeyRegistry, Task<int>> action)
    {
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddAggregatorStorage(CliConfiguration.Build())
            .AddApiKeySecurity();
        await using var provider = services.BuildServiceProvider();
        try
        {
            // A fresh database has no tables yet; the first admin key is often the first thing done with it.
            await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
            return await action(provider.GetRequiredService<ApiKeyRegistry>());
        }
        catch (DatabaseUnavailableException exception)
        {
            await error.WriteLineAsync($"无法连接数据库 database unavailable: {exception.Message}");
            return ExitCodes.BadInput;
        }
    }
}
