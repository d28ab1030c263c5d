using System.Net;
using System.Text.Json.Nodes;
using Aggregator.Application.Rollups;
using Aggregator.Contracts;
using Aggregator.Intake.Tests.Support;
using Aggregator.Storage;
using Aggregator.Testing.Brokers;
using Aggregator.Testing.Processes;
using Aggregator.Testing.Waiting;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using CliProgram = Aggregator.Cli.Program;

namespace Aggregator.Intake.Tests;

/// <summary>
/// <c>aggregator ops …</c> against the intake API listening on a loopback port: what each command prints, and its exit
/// code when the API answers, refuses (1) or cannot be reached (3).
/// </summary>
public sealed class OpsCommandTests
{
    private const string Queue = PoisonedSubmissions.Queue;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ops_lists_queues_shows_a_poison_message_and_redrives_it_once()
    {
        await using var broker = await TestBroker.CreateAsync(Ct);
        var poison = new PoisonedSubmissions();
        using var worker = await poison.StartWorkerAsync(broker, Ct);
        await using var api = await ApiHost.StartListeningAsync(broker.MessagingSettings());
        var opsKey = await api.IssueKeyAsync("ops");
        var submissionId = Guid.NewGuid();
        await worker.Services.GetRequiredService<IPublishEndpoint>().Publish(
            new SubmissionReceived { SubmissionId = submissionId, Version = 1, PeriodId = Guid.NewGuid(), UnitCode = "U1" }, Ct);
        await Poll.UntilAsync(
            // MassTransit declares the error queue with the first fault.
            async token => await broker.GetQueueAsync(Queue + "_error", token) is not null
                && (await broker.PeekMessagesAsync(Queue + "_error", cancellationToken: token)).Count == 1,
            "the poison message in the error queue", TimeSpan.FromSeconds(30), Ct);

        var queues = await OpsAsync(api, opsKey, "queues");
        Assert.Equal(0, queues.Exit);
        var listed = JsonNode.Parse(queues.Output)!["queues"]!.AsArray().Select(q => q!["name"]!.GetValue<string>()).ToList();
        Assert.Contains(Queue, listed);
        Assert.Contains(Queue + "_error", listed);

        var errors = await OpsAsync(api, opsKey, "errors", Queue);
        Assert.Equal(0, errors.Exit);
        var message = Assert.Single(JsonNode.Parse(errors.Output)!["messages"]!.AsArray())!;
        Assert.Equal(typeof(NotSupportedException).FullName, message["exception_type"]!.GetValue<string>());
        Assert.Equal(PoisonedSubmissions.Failure, message["exception_message"]!.GetValue<string>());
        Assert.Equal(submissionId, message["submission_id"]!.GetValue<Guid>());
        // Chinese text is printed as text, not as \u escapes.
        Assert.Contains(PoisonedSubmissions.Failure, errors.Output, StringComparison.Ordinal);

        var all = await OpsAsync(api, opsKey, "errors");
        Assert.Equal(0, all.Exit);
        Assert.Contains(Queue + "_error", all.Output, StringComparison.Ordinal);

        poison.Healed = true;
        var redrive = await OpsAsync(api, opsKey, "redrive", Queue, "--id", message["message_id"]!.GetValue<string>());
        Assert.Equal(0, redrive.Exit);
        Assert.Equal(1, JsonNode.Parse(redrive.Output)!["moved_count"]!.GetValue<int>());
        await Poll.UntilAsync(() => poison.Successes == 1, "the redriven message consumed", TimeSpan.FromSeconds(30), Ct);
        Assert.Empty(await broker.PeekMessagesAsync(Queue + "_error", cancellationToken: Ct));

        var again = await OpsAsync(api, opsKey, "redrive", Queue, "--all");
        Assert.Equal(0, again.Exit);
        Assert.Equal(0, JsonNode.Parse(again.Output)!["moved_count"]!.GetValue<int>());
        Assert.Equal(1, poison.Failures);
    }

    [Fact]
    public async Task Retry_rollup_requests_a_failed_rollup_again_and_is_refused_for_one_that_has_not_failed()
    {
        await using var api = await ApiHost.StartListeningAsync();
        var rollupId = await RequestRollupAsync(api);
        var opsKey = await api.IssueKeyAsync("ops");

        var notFailed = await OpsAsync(api, opsKey, "retry-rollup", rollupId.ToString());
        Assert.Equal(1, notFailed.Exit);
        Assert.Contains("409", notFailed.Error, StringComparison.Ordinal);
        Assert.Contains("rollup_not_failed", notFailed.Error, StringComparison.Ordinal);

        Assert.True(await api.Services.GetRequiredService<RollupFaults>().RecordBuildFaultAsync(rollupId, "模拟故障", Ct));
        var retried = await OpsAsync(api, opsKey, "retry-rollup", rollupId.ToString());
        Assert.Equal(0, retried.Exit);
        var receipt = JsonNode.Parse(retried.Output)!;
        Assert.Equal(rollupId, receipt["rollup_id"]!.GetValue<Guid>());
        Assert.Equal(RollupStatus.Requested, receipt["status"]!.GetValue<string>());
        using (var view = await api.GetAsync($"/api/v1/rollups/{rollupId}", opsKey))
            Assert.Equal(RollupStatus.Requested, (await view.ExpectAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());

        var unknown = await OpsAsync(api, opsKey, "retry-rollup", Guid.NewGuid().ToString());
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("404", unknown.Error, StringComparison.Ordinal);

        var notAnId = await OpsAsync(api, opsKey, "retry-rollup", "not-a-rollup");
        Assert.Equal(2, notAnId.Exit);
    }

    [Theory]
    [InlineData("queues")]
    [InlineData("errors", Queue)]
    [InlineData("redrive", Queue, "--all")]
    [InlineData("retry-rollup", "01a23552-455c-74ec-a7d6-1b864766e388")]
    public async Task Every_ops_command_exits_1_when_the_api_refuses_the_key_and_2_without_one(params string[] command)
    {
        await using var api = await ApiHost.StartListeningAsync();
        await RegisterUnitsAsync(api);
        var unitKey = await api.IssueKeyAsync("unit", "U1");

        var forbidden = await OpsAsync(api, unitKey, command);
        Assert.Equal(1, forbidden.Exit);
        Assert.Contains("403", forbidden.Error, StringComparison.Ordinal);
        Assert.Empty(forbidden.Output);

        var unknownKey = await OpsAsync(api, "agk_nosuchk1_" + new string('x', 43), command);
        Assert.Equal(1, unknownKey.Exit);
        Assert.Contains("401", unknownKey.Error, StringComparison.Ordinal);

        var noKey = await RunAsync(["ops", .. command, "--url", api.Address.ToString()]);
        Assert.Equal(2, noKey.Exit);
    }

    [Theory]
    [InlineData("queues")]
    [InlineData("errors", Queue)]
    [InlineData("redrive", Queue, "--id", "abc")]
    [InlineData("retry-rollup", "01a23552-455c-74ec-a7d6-1b864766e388")]
    public async Task Every_ops_command_exits_3_when_the_api_cannot_be_reached(params string[] command)
    {
        var closed = LoopbackPorts.Free();

        var unreachable = await RunAsync(["ops", .. command, "--url", $"http://127.0.0.1:{closed}", "--key", "agk_abcdefgh_" + new string('y', 43)]);

        Assert.Equal(3, unreachable.Exit);
        Assert.Contains("无法连接 API", unreachable.Error, StringComparison.Ordinal);
        Assert.Empty(unreachable.Output);
    }

    private static async Task<Guid> RequestRollupAsync(ApiHost api)
    {
        await RegisterUnitsAsync(api);
        var period = await api.PostOkAsync("/api/v1/periods", api.AdminKey, new { year = 2019, form_id = "fmt_2019", root_unit = "D1", due_date = "2020-01-31" }, HttpStatusCode.Created);
        var receipt = await api.PostOkAsync($"/api/v1/periods/{period["id"]!.GetValue<Guid>()}/rollups", api.AdminKey, new { }, HttpStatusCode.Accepted);
        return receipt["rollup_id"]!.GetValue<Guid>();
    }

    private static Task<JsonNode> RegisterUnitsAsync(ApiHost api) =>
        api.PostOkAsync("/api/v1/units", api.AdminKey, new object[]
        {
            new { code = "D1", name = "测试区", kind = OrgUnitKind.District },
            new { code = "U1", name = "测试区甲局", kind = OrgUnitKind.Department, parent = "D1" },
        }, HttpStatusCode.OK);

    private static Task<(int Exit, string Output, string Error)> OpsAsync(ApiHost api, string key, params string[] command) =>
        RunAsync(["ops", .. command, "--url", api.Address.ToString(), "--key", key]);

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliProgram.RunAsync(args, output, error, Ct);
        return (exit, output.ToString(), error.ToString());
    }
}
