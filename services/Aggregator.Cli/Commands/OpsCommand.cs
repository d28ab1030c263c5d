using System.CommandLine;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aggregator.Cli.Commands;

/// <summary>
/// <c>aggregator ops queues</c>, <c>aggregator ops errors [QUEUE]</c>, <c>aggregator ops redrive QUEUE --id ID…|--all</c>,
/// <c>aggregator ops retry-rollup ROLLUP_ID</c>: the intake API's ops endpoints, called with an ops or admin key (<c>--url</c> and <c>--key</c>, or
/// <c>AGGREGATOR_URL</c> and <c>AGGREGATOR_API_KEY</c>), so the CLI needs no broker credentials of its own.
/// </summary>
public static class OpsCommand
{
    public const string UrlVariable = "AGGREGATOR_URL";
    public const string KeyVariable = "AGGREGATOR_API_KEY";

    public static Command Create()
    {
        var url = new Option<string?>("--url") { Description = $"API 地址，如 http://localhost:8080（默认取 {UrlVariable}）", Recursive = true };
        var key = new Option<string?>("--key") { Description = $"ops 或 admin 密钥（默认取 {KeyVariable}）", Recursive = true };

        var queues = new Command("queues", "列出消息队列：待处理、处理中、消费者数、速率");
        queues.SetAction((parsed, ct) => RunAsync(parsed, url, key, HttpMethod.Get, "ops/queues", null, ct));

        var queue = new Argument<string?>("queue") { Description = "消费队列或其 _error 队列；省略则列出所有错误队列", Arity = ArgumentArity.ZeroOrOne };
        var errors = new Command("errors", "查看错误队列中的消息（异常类型、信息、涉及的报送）") { queue };
        errors.SetAction((parsed, ct) => parsed.GetValue(queue) is { } name
            ? RunAsync(parsed, url, key, HttpMethod.Get, $"ops/errors/{Uri.EscapeDataString(name)}", null, ct)
            : RunAsync(parsed, url, key, HttpMethod.Get, "ops/errors", null, ct));

        var redriveQueue = new Argument<string>("queue") { Description = "消费队列或其 _error 队列" };
        var ids = new Option<string[]>("--id") { Description = "要移回的消息 ID（可重复）", AllowMultipleArgumentsPerToken = false };
        var all = new Option<bool>("--all") { Description = "移回错误队列中的全部消息" };
        var redrive = new Command("redrive", "把错误队列中的消息移回原队列（每条一次）") { redriveQueue, ids, all };
        redrive.Validators.Add(result =>
        {
            if ((result.GetResult(ids) is null) == (result.GetResult(all) is null))
                result.AddError("请指定 --id ID（可重复）或 --all 之一。");
        });
        redrive.SetAction((parsed, ct) => RunAsync(
            parsed, url, key, HttpMethod.Post, $"ops/errors/{Uri.EscapeDataString(parsed.GetValue(redriveQueue)!)}/redrive",
            parsed.GetValue(all) ? new JsonObject { ["all"] = true } : new JsonObject { ["ids"] = new JsonArray([.. (parsed.GetValue(ids) ?? []).Select(id => JsonValue.Create(id))]) },
            ct));

        var rollupId = new Argument<Guid>("rollup-id") { Description = "失败的汇总 ID" };
        var retryRollup = new Command("retry-rollup", "重试失败的汇总：未算出合计的重新汇总，报告生成失败的重新生成报告") { rollupId };
        retryRollup.SetAction((parsed, ct) => RunAsync(parsed, url, key, HttpMethod.Post, $"rollups/{parsed.GetValue(rollupId)}/retry", null, ct));

        return new Command("ops", "运维：消息队列、错误队列、重新投递与重试汇总（通过 API）") { url, key, queues, errors, redrive, retryRollup };
    }

    private static async Task<int> RunAsync(
        ParseResult parsed, Option<string?> urlOption, Option<string?> keyOption, HttpMethod method, string path, JsonNode? body, CancellationToken ct)
    {
        var output = parsed.InvocationConfiguration.Output;
        var error = parsed.InvocationConfiguration.Error;
        var url = parsed.GetValue(urlOption) ?? Environment.GetEnvironmentVariable(UrlVariable);
        var key = parsed.GetValue(keyOption) ?? Environment.GetEnvironmentVariable(KeyVariable);
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute, out var baseAddress))
        {
            await error.WriteLineAsync($"请用 --url 或 {UrlVariable} 指定 API 地址 (API address required).");
            return ExitCodes.BadInput;
        }

        if (string.IsNullOrWhiteSpace(key))
        {
            await error.WriteLineAsync($"请用 --key 或 {KeyVariable} 指定 ops 或 admin 密钥 (API key required).");
            return ExitCodes.BadInput;
        }

        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(100) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var request = new HttpRequestMessage(method, "api/v1/" + path);
        if (body is not null)
            request.Content = JsonContent.Create(body);
        try
        {
            using var response = await client.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            var pretty = Pretty(text);
            if (response.IsSuccessStatusCode)
            {
                await output.WriteLineAsync(pretty);
                return ExitCodes.Ok;
            }

            await error.WriteLineAsync($"API 答复 {(int)response.StatusCode}: {pretty}");
            return (int)response.StatusCode < 500 ? ExitCodes.Rejected : ExitCodes.Failed;
        }
        catch (HttpRequestException exception)
        {
            await error.WriteLineAsync($"无法连接 API {baseAddress} (cannot reach the API): {exception.Message}");
            return ExitCodes.Failed;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            await error.WriteLineAsync($"API {baseAddress} 未在 {client.Timeout.TotalSeconds:0} 秒内答复 (the API did not answer in time).");
            return ExitCodes.Failed;
        }
    }

    private static string Pretty(string text)
    {
        try
        {
            return JsonNode.Parse(text)?.ToJsonString(Indented) ?? text;
        }
        catch (JsonException)
        {
            return text;
        }
    }

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
