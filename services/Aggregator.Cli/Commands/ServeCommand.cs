using System.CommandLine;
using Aggregator.Cli.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Aggregator.Cli.Commands;

/// <summary>
/// <c>aggregator serve [--urls URL]</c>: the API and all workers in one process, with the embedded defaults
/// (./aggregator.db, in-memory bus) unless the configuration names a database and a broker.
/// </summary>
public static class ServeCommand
{
    // Kept beside the database so that a restarted server accepts the same admin key.
    private const string AdminKeyPath = AdminKeyFile.DefaultPath;

    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "监听地址", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var command = new Command("serve", "在一个进程中运行接口和全部后台处理（嵌入模式）") { urls };
        command.SetAction((parsed, ct) => RunAsync(parsed.GetValue(urls)!, parsed.InvocationConfiguration.Output, ct));
        return command;
    }

    private static async Task<int> RunAsync(string urls, TextWriter stdout, CancellationToken ct)
    {
        var configured = CliConfiguration.Build()["Auth:BootstrapAdminKey"];
        var adminKey = configured is { Length: > 0 } ? null : await AdminKeyFile.ReadOrCreateAsync(AdminKeyPath, ct);
        var overrides = new Dictionary<string, string?> { ["Urls"] = urls };
        if (adminKey is not null)
        {
            overrides["Auth:BootstrapAdminKey"] = adminKey;
        }

        await using var app = AllInOneHost.Build([], overrides);
        await app.StartAsync(ct);
        await stdout.WriteLineAsync($"接口 API: {urls}/api/v1   文档 docs: {urls}/scalar   健康 health: {urls}/health/ready");
        if (adminKey is not null)
        {
            await stdout.WriteLineAsync($"管理员密钥 admin key (also in {Path.GetFullPath(AdminKeyPath)}): {adminKey}");
        }

        await stdout.WriteLineAsync("按 Ctrl+C 停止 press Ctrl+C to stop");
        await app.WaitForShutdownAsync(ct);
        return ExitCodes.Ok;
    }
}
