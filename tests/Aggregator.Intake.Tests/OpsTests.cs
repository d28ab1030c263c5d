using System.Net;
using System.Text.Json.Nodes;
using Aggregator.Contracts;
using Aggregator.Intake.Tests.Support;
using Aggregator.Testing.Brokers;
using Aggregator.Testing.Waiting;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Intake.Tests;

/// <summary>The ops API on the real RabbitMQ: a poison message is seen with its fault, redriven once, and gone.</summary>
public sealed class OpsTests
{
    private const string Queue = PoisonedSubmissions.Queue;

    [Fact]
    public async Task A_poison_message_is_shown_with_its_fault_and_redriven_exactly_once()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var broker = await TestBroker.CreateAsync(cancellation);
        var flaky = new PoisonedSubmissions();
        using var worker = await flaky.StartWorkerAsync(broker, cancellation);
        await using var api = await ApiHost.StartOnSqliteAsync(broker.MessagingSettings());
        var opsKey = await api.IssueKeyAsync("ops");
        var submissionId = Guid.NewGuid();

        await worker.Services.GetRequiredService<IPublishEndpoint>().Publish(
            new SubmissionReceived { SubmissionId = submissionId, Version = 1, PeriodId = Guid.NewGuid(), UnitCode = "U1" }, cancellation);

        var failed = await Poll.ForAsync(
            async token =>
            {
                using var response = await api.GetAsync($"/api/v1/ops/errors/{Queue}", opsKey);
                // MassTransit declares the error queue with the first fault.
                if (response.StatusCode == HttpStatusCode.NotFound)
                    return null;
                var body = await response.ExpectAsync(HttpStatusCode.OK);
                return body["messages"]!.AsArray().Count > 0 ? body["messages"]!.AsArray() : null;
            },
            "the poison message in the error queue", TimeSpan.FromSeconds(30), cancellation);

        var message = Assert.Single(failed)!;
        Assert.Equal(typeof(NotSupportedException).FullName, message["exception_type"]!.GetValue<string>());
        Assert.Equal(PoisonedSubmissions.Failure, message["exception_message"]!.GetValue<string>());
        Assert.Equal(submissionId, message["submission_id"]!.GetValue<Guid>());
        var messageId = message["message_id"]!.GetValue<string>();
        Assert.Equal(1, flaky.Failures);

        // Looking does not take: the message is still there.
        Assert.Single(await broker.PeekMessagesAsync(Queue + "_error", cancellationToken: cancellation));

        using (var queues = await api.GetAsync("/api/v1/ops/queues", opsKey))
        {
            var names = (await queues.ExpectAsync(HttpStatusCode.OK))["queues"]!.AsArray().Select(queue => queue!["name"]!.GetValue<string>()).ToList();
            Assert.Contains(Queue, names);
            Assert.Contains(Queue + "_error", names);
        }

        flaky.Healed = true;
        var redriven = await api.PostOkAsync($"/api/v1/ops/errors/{Queue}/redrive", opsKey, new { ids = new[] { messageId } }, HttpStatusCode.OK);
        Assert.Equal(1, redriven["moved_count"]!.GetValue<int>());
        Assert.Equal(Queue, redriven["source_queue"]!.GetValue<string>());

        await Poll.UntilAsync(() => flaky.Successes == 1, "the redriven message consumed", TimeSpan.FromSeconds(30), cancellation);
        Assert.Empty(await broker.PeekMessagesAsync(Queue + "_error", cancellationToken: cancellation));
        using (var after = await api.GetAsync($"/api/v1/ops/errors/{Queue}", opsKey))
            Assert.Empty((await after.ExpectAsync(HttpStatusCode.OK))["messages"]!.AsArray());

        // A second redrive of the same id finds nothing: the message moved once.
        var again = await api.PostOkAsync($"/api/v1/ops/errors/{Queue}/redrive", opsKey, new { all = true }, HttpStatusCode.OK);
        Assert.Equal(0, again["moved_count"]!.GetValue<int>());
        await Task.Delay(500, cancellation);
        Assert.Equal(1, flaky.Successes);
        Assert.Equal(1, flaky.Failures);
        Assert.DoesNotContain(api.Logs.Lines, line => line.Contains(broker.Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_unit_key_may_not_see_or_redrive_error_queues()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var broker = await TestBroker.CreateAsync(cancellation);
        await using var api = await ApiHost.StartOnSqliteAsync(broker.MessagingSettings());
        await api.PostOkAsync("/api/v1/units", api.AdminKey, new object[] { new { code = "D1", name = "测试区", kind = Aggregator.Storage.OrgUnitKind.District }, new { code = "U1", name = "测试区甲局", kind = Aggregator.Storage.OrgUnitKind.Department, parent = "D1" } }, HttpStatusCode.OK);
        var unitKey = await api.IssueKeyAsync("unit", "U1");

        using var queues = await api.GetAsync("/api/v1/ops/queues", unitKey);
        Assert.Equal(HttpStatusCode.Forbidden, queues.StatusCode);
        using var errors = await api.GetAsync($"/api/v1/ops/errors/{Queue}", unitKey);
        Assert.Equal(HttpStatusCode.Forbidden, errors.StatusCode);
        using var redrive = await api.PostJsonAsync($"/api/v1/ops/errors/{Queue}/redrive", unitKey, new { all = true });
        Assert.Equal(HttpStatusCode.Forbidden, redrive.StatusCode);
    }

    [Fact]
    public async Task The_embedded_mode_answers_with_empty_queues_and_explains_that_it_cannot_redrive()
    {
        await using var api = await ApiHost.StartOnSqliteAsync();

        using var queues = await api.GetAsync("/api/v1/ops/queues", api.AdminKey);
        var body = await queues.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("inmemory", body["transport"]!.GetValue<string>());
        Assert.Empty(body["queues"]!.AsArray());

        using var redrive = await api.PostJsonAsync($"/api/v1/ops/errors/{Queue}/redrive", api.AdminKey, new { all = true });
        Assert.Equal(HttpStatusCode.Conflict, redrive.StatusCode);
        Assert.Equal("redrive_unavailable", (await redrive.ProblemAsync())["code"]!.GetValue<string>());

        using var neither = await api.PostJsonAsync($"/api/v1/ops/errors/{Queue}/redrive", api.AdminKey, new JsonObject());
        Assert.Equal(HttpStatusCode.BadRequest, neither.StatusCode);
    }
}
