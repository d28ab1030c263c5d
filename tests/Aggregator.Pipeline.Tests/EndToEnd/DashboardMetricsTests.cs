using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aggregator.Application.Security;
using Aggregator.Cli.Demo;
using Aggregator.Pipeline.Tests.Support;
using Aggregator.Testing.Brokers;
using Aggregator.Testing.Databases;
using Aggregator.Testing.Processes;
using Dapper;
using YamlDotNet.RepresentationModel;

namespace Aggregator.Pipeline.Tests.EndToEnd;

/// <summary>
/// Every metric the Grafana dashboard reads is exported: by the services, each run as its own process on the real
/// broker and database and driven through one submission, one refusal, one poison message and one rollup, or by
/// RabbitMQ's Prometheus plugin scraped as deploy/prometheus/prometheus.yml scrapes it.
/// </summary>
public sealed class DashboardMetricsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static readonly string Root = ServiceBinaries.RepositoryRoot();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_metric_names_of_a_PromQL_expression_are_found_and_nothing_else()
    {
        var names = PrometheusText.MetricNames(
            "histogram_quantile(0.95, sum by (le, outcome) (rate(a_seconds_bucket{queue=~\"x-.*\",b!=\"c d\"}[5m]))) "
            + "/ ignoring(code) max(b_total offset 5m) or vector(0) and on(vhost) c_ratio > bool 1e3");

        Assert.Equal(["a_seconds_bucket", "b_total", "c_ratio"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_metric_the_dashboard_reads_is_exported_by_a_running_service_or_by_RabbitMQ()
    {
        var wanted = DashboardMetricNames();
        var rabbitDetailed = RabbitMqDetailedScrape();
        await using var database = await (await TestDatabases.PostgresAsync()).MigrateAsync(Ct);
        await using var broker = await TestBroker.CreateAsync(Ct);
        var adminKey = ApiKeyText.Generate();
        var settings = database.Settings.Concat(broker.MessagingSettings()).Concat(DistributedPipeline.FastSettings).ToList();

        var intakeSettings = new Dictionary<string, string?>(settings) { ["Auth:BootstrapAdminKey"] = adminKey };
        await using var intake = await ServiceProcess.StartAsync("Aggregator.Intake.Api", intakeSettings, Ct);
        await using var validation = await ServiceProcess.StartAsync("Aggregator.Validation.Worker", new Dictionary<string, string?>(settings), Ct);
        await using var aggregation = await ServiceProcess.StartAsync("Aggregator.Aggregation.Worker", new Dictionary<string, string?>(settings), Ct);
        ServiceProcess[] services = [intake, validation, aggregation];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        using var api = new ApiClient(new HttpClient { BaseAddress = intake.Address, Timeout = TimeSpan.FromSeconds(60) });
        api.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminKey);
        var scenario = DistrictScenario.Create(unitCount: 1, seed: 17, withMistakes: false, missing: 0);
        await api.RegisterAsync(scenario, Ct);
        var periodId = await api.OpenPeriodAsync(scenario.Root.Code, Ct);
        var document = scenario.Submissions[0].Document.ToJson();
        await api.SubmitAsync(periodId, document, Ct);
        var wrongYear = JsonNode.Parse(document)!;
        wrongYear["year"] = 2018;
        var refused = await api.ExpectAsync(HttpStatusCode.UnprocessableEntity, api.PostAsync($"periods/{periodId}/submissions", wrongYear.ToJsonString(), Ct));
        Assert.Equal("wrong_year", refused["code"]!.GetValue<string>());
        await api.WaitForValidationAsync(periodId, 1, Patience, Ct);
        var rollupId = await api.RequestRollupAsync(periodId, Ct);
        await api.WaitForReportAsync(rollupId, Patience, Ct);
        await AnnounceUnknownSubmissionAsync(database);

        Dictionary<string, IReadOnlyList<PrometheusSample>> scraped = [];
        IReadOnlyList<string> missing = [];
        try
        {
            await Testing.Waiting.Poll.UntilAsync(
                async token =>
                {
                    scraped = new Dictionary<string, IReadOnlyList<PrometheusSample>>(StringComparer.Ordinal);
                    foreach (var service in services)
                        scraped[service.Name] = PrometheusText.Parse(await http.GetStringAsync(new Uri(service.Address, "metrics"), token));
                    // The node serves every virtual host: only this test's queues count.
                    scraped["rabbitmq"] = [.. PrometheusText.Parse(await http.GetStringAsync(rabbitDetailed(broker.Host), token))
                        .Where(sample => sample.Label("vhost") == broker.VirtualHost)];
                    var exported = scraped.Values.SelectMany(samples => samples).Select(sample => sample.Name).ToHashSet(StringComparer.Ordinal);
                    missing = [.. wanted.Where(name => !exported.Contains(name)).Order(StringComparer.Ordinal)];
                    // The broker refreshes its queue statistics every few seconds.
                    return missing.Count == 0 && scraped["rabbitmq"].Any(IsThePoisonMessage);
                },
                "every metric of the dashboard exported and the poison message counted in its error queue",
                TimeSpan.FromSeconds(60), Ct, () => missing.Count > 0 ? string.Join(", ", missing) : "no message in the error queue");
        }
        catch (TimeoutException) when (missing.Count > 0)
        {
            Assert.Fail($"The dashboard reads metrics that nothing exports: {string.Join(", ", missing)}.\n"
                + string.Join('\n', services.Select(service => $"--- {service.Name}\n{service.Tail(15)}")));
        }

        // The domain series count what happened, each in the process where it happened.
        Assert.Equal(1, Value(scraped, intake, "aggregator_submissions_accepted_total"));
        Assert.Equal(1, Value(scraped, intake, "aggregator_submissions_refused_total", ("code", "wrong_year")));
        Assert.Equal(1, Value(scraped, validation, "aggregator_submissions_validated_total", ("outcome", "accepted"))
            + Value(scraped, validation, "aggregator_submissions_validated_total", ("outcome", "accepted_with_warnings")));
        Assert.Equal(1, Value(scraped, intake, "aggregator_rollups_requested_total"));
        Assert.Equal(1, Value(scraped, aggregation, "aggregator_rollups_finished_total", ("outcome", "completed")));
        Assert.Equal(1, Value(scraped, aggregation, "aggregator_rollup_duration_seconds_count", ("outcome", "completed")));
        Assert.Equal(1, Value(scraped, aggregation, "aggregator_rollup_readable_duration_seconds_count"));
        Assert.InRange(Value(scraped, aggregation, "aggregator_rollup_duration_seconds_sum", ("outcome", "completed")), 0.001, Patience.TotalSeconds);
        Assert.Equal(0, Value(scraped, aggregation, "aggregator_reconciler_reannounced_total", ("message", "submission_received")));
        foreach (var service in services)
        {
            Assert.Equal(0, Value(scraped, service, "aggregator_outbox_dead"));
            Assert.InRange(Value(scraped, service, "aggregator_outbox_oldest_pending_age_seconds"), 0, Patience.TotalSeconds);
        }

        Assert.True(Value(scraped, validation, "messaging_masstransit_consume_errors_ea_total") >= 1);
    }

    private static bool IsThePoisonMessage(PrometheusSample sample) =>
        sample is { Name: "rabbitmq_detailed_queue_messages", Value: >= 1 } && sample.Label("queue") == "aggregator-validate-submission_error";

    /// <summary>An announcement of a version that does not exist: the validation worker fails it for good.</summary>
    private static async Task AnnounceUnknownSubmissionAsync(TestDatabase database)
    {
        var payload = JsonSerializer.Serialize(
            new { submissionId = Guid.NewGuid(), version = 1, periodId = Guid.NewGuid(), unitCode = "NO-SUCH-UNIT" });
        await using var connection = await database.Connections.OpenAsync(Ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO outbox (message_type, payload, created_at) VALUES ('Aggregator.Contracts.SubmissionReceived', @Payload, CURRENT_TIMESTAMP)",
            new { Payload = payload },
            cancellationToken: Ct));
    }

    private static double Value(
        Dictionary<string, IReadOnlyList<PrometheusSample>> scraped, ServiceProcess service, string name, params (string Name, string Value)[] labels)
    {
        var samples = scraped[service.Name].Where(s => s.Name == name && labels.All(l => s.Label(l.Name) == l.Value)).ToList();
        Assert.True(samples.Count > 0, $"{service.Name} exports no {name} with {string.Join(", ", labels)}");
        return samples.Sum(s => s.Value);
    }

    private static IReadOnlySet<string> DashboardMetricNames()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "deploy", "grafana", "aggregator-dashboard.json")));
        var expressions = Panels(dashboard.RootElement.GetProperty("panels"))
            .Where(panel => panel.TryGetProperty("targets", out _))
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty("expr").GetString()!)
            .ToList();
        var names = expressions.SelectMany(PrometheusText.MetricNames).ToHashSet(StringComparer.Ordinal);

        Assert.True(expressions.Count >= 10, $"Only {expressions.Count} expressions found in the dashboard");
        Assert.All(expressions, expression => Assert.NotEmpty(PrometheusText.MetricNames(expression)));
        Assert.Contains("aggregator_rollup_duration_seconds_bucket", names);
        Assert.Contains("rabbitmq_detailed_queue_messages_ready", names);
        return names;
    }

    private static IEnumerable<JsonElement> Panels(JsonElement panels) =>
        panels.EnumerateArray().SelectMany(panel => panel.TryGetProperty("panels", out var nested) ? [panel, .. Panels(nested)] : new[] { panel });

    /// <summary>The URL of the scrape job that reads the broker's per-queue series, for a broker on <c>host</c>.</summary>
    private static Func<string, Uri> RabbitMqDetailedScrape()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Root, "deploy", "prometheus", "prometheus.yml")))
            stream.Load(reader);
        var jobs = (YamlSequenceNode)((YamlMappingNode)stream.Documents.Single().RootNode)["scrape_configs"];
        var job = jobs.Children.Cast<YamlMappingNode>().Single(j => ((YamlScalarNode)j["job_name"]).Value == "rabbitmq-detailed");
        var path = ((YamlScalarNode)job["metrics_path"]).Value!;
        var families = ((YamlSequenceNode)((YamlMappingNode)job["params"])["family"]).Children.Select(f => ((YamlScalarNode)f).Value!).ToList();
        var target = ((YamlScalarNode)((YamlSequenceNode)((YamlMappingNode)((YamlSequenceNode)job["static_configs"]).Children.Single())["targets"]).Children.Single()).Value!;
        var port = int.Parse(target.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEmpty(families);
        var query = string.Join('&', families.Select(f => "family=" + Uri.EscapeDataString(f)));
        return host => new UriBuilder("http", host, port, path) { Query = query }.Uri;
    }
}
