using System.CommandLine;
using Aggregator.Application.Security;
using Aggregator.Cli.Demo;
using Aggregator.Cli.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aggregator.Cli.Commands;

/// <summary>
/// <c>aggregator serve [--urls URL] [--demo]</c>: the API, the web pages and all workers in one process, with the
/// embedded defaults (./aggregator.db, in-memory bus) unless the configuration names a database and a broker.
/// With <c>--demo</c> it starts over a fresh ./aggregator-demo.db holding the demo district, already submitted and
/// rolled up, and a new admin key.
/// </summary>
public static class ServeCommand
{
    // Kept beside the database so that a restarted server accepts the same admin key.
    private const string AdminKeyPath = AdminKeyFile.DefaultPath;
    private const string DemoDatabase = "aggregator-demo.db";

    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "监听地址", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var demo = new Option<bool>("--demo") { Description = "载入演示区（41 个单位，已报送并汇总），使用新的 aggregator-demo.db" };
        var command = new Command("serve", "在一个进程中运行接口、网页和全部后台处理（嵌入模式）") { urls, demo };
        command.SetAction((parsed, ct) => RunAsync(parsed.GetValue(urls)!, parsed.GetValue(demo), parsed.InvocationConfiguration.Output, ct));
        return command;
    }

    private static async Task<int> RunAsync(string urls, bool demo, TextWriter stdout, CancellationToken ct)
    {
        var configured = CliConfiguration.Build()["Auth:BootstrapAdminKey"];
        var adminKey = demo ? ApiKeyText.Generate() : configured is { Length: > 0 } ? null : await AdminKeyFile.ReadOrCreateAsync(AdminKeyPath, ct);
        var overrides = new Dictionary<string, string?> { ["Urls"] = urls };
        if (adminKey is not null)
        {
            overrides["Auth:BootstrapAdminKey"] = adminKey;
        }

        if (demo)
        {
            var path = Path.GetFullPath(DemoDatabase);
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }

            overrides["Database:Provider"] = "sqlite";
            overrides["Database:ConnectionString"] = new SqliteConnectionStringBuilder { DataSource = path }.ToString();
        }

        await using var app = AllInOneHost.Build([], overrides);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? urls;
        if (demo)
        {
            await stdout.WriteLineAsync("载入演示区 loading the demo district…");
            var scenario = await DemoDistrict.LoadAsync(app.Services, ct);
            await stdout.WriteLineAsync($"{scenario.Root.Name}：{scenario.Units.Count} 个填报单位，{scenario.Submissions.Count} 份报表已报送并汇总");
        }

        await stdout.WriteLineAsync($"网页 pages: {address}/   接口 API: {address}/api/v1   文档 docs: {address}/scalar   健康 health: {address}/health/ready");
        if (adminKey is not null)
        {
            await stdout.WriteLineAsync(demo
                ? $"管理员密钥 admin key (sign in at {address}/signin): {adminKey}"
                : $"管理员密钥 admin key (also in {Path.GetFullPath(AdminKeyPath)}): {adminKey}");
        }

        await stdout.WriteLineAsync("按 Ctrl+C 停止 press Ctrl+C to stop");
        await app.WaitForShutdownAsync(ct);
        return ExitCodes.Ok;
    }
}
