using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aggregator.Aggregation;
using Aggregator.Cli.Hosting;
using Aggregator.Intake;
using Aggregator.Messaging;
using Aggregator.Reporting;
using Aggregator.Storage;
using Aggregator.Validation;
using MassTransit;
using MassTransit.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Aggregator.Architecture.Tests;

/// <summary>
/// The files under deploy/ against the code, without a container engine: images, settings, ports and queue names
/// that a deploy would otherwise only get wrong at run time.
/// </summary>
public sealed partial class DeployFilesTests
{
    private static readonly string Root = RepositoryRoot();

    // Which worker consumes what: the deployment name in compose and k8s, and the consumers its Program.cs registers.
    private static readonly Dictionary<string, Action<IBusRegistrationConfigurator>> Workers = new()
    {
        ["validation"] = bus => bus.AddValidationConsumers(),
        ["aggregation"] = bus => bus.AddAggregationConsumers(),
    };

    private static readonly Type[] OptionsTypes =
        [typeof(DatabaseOptions), typeof(MessagingOptions), typeof(AuthOptions), typeof(IntakeOptions), typeof(ReportingOptions)];

    [Fact]
    public void Every_image_the_compose_file_builds_is_a_dockerfile_target_named_after_it()
    {
        var targets = DockerfileTargets();

        foreach (var (name, service) in ComposeServices().Where(s => s.Value.Children.ContainsKey("build")))
        {
            var build = (YamlMappingNode)service["build"];
            var target = Scalar(build, "target");
            Assert.True(targets.ContainsKey(target), $"compose service {name} builds target {target}, which deploy/Dockerfile lacks");
            Assert.Equal("deploy/Dockerfile", Scalar(build, "dockerfile"));
            Assert.Equal($"aggregator/{target}:${{AGGREGATOR_TAG:-dev}}", Scalar(service, "image"));
        }
    }

    [Fact]
    public void Every_aggregator_image_k8s_runs_is_built_by_a_dockerfile_target_with_the_compose_tag()
    {
        var targets = DockerfileTargets();
        var images = K8sContainers().Select(c => Scalar(c, "image")).Where(i => i.StartsWith("aggregator/", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(images);
        foreach (var image in images)
        {
            var match = ImagePattern().Match(image);
            Assert.True(match.Success, $"k8s image {image} is not aggregator/<target>:<tag>");
            Assert.True(targets.ContainsKey(match.Groups["target"].Value), $"k8s image {image}: no such target in deploy/Dockerfile");
            Assert.Equal("dev", match.Groups["tag"].Value);
        }
    }

    [Fact]
    public void Every_dockerfile_target_publishes_a_project_that_exists_and_runs_its_assembly()
    {
        var text = File.ReadAllText(Path.Combine(Root, "deploy", "Dockerfile"));
        foreach (var (target, entryDll) in DockerfileTargets())
        {
            var publish = Regex.Match(text, $@"AS publish-{Regex.Escape(target)}\s*\nRUN dotnet publish (?<project>\S+\.csproj)");
            Assert.True(publish.Success, $"target {target} has no publish-{target} stage");
            var project = Path.Combine(Root, publish.Groups["project"].Value);
            Assert.True(File.Exists(project), $"target {target} publishes {project}, which does not exist");
            var assembly = System.Xml.Linq.XDocument.Load(project).Descendants("AssemblyName").FirstOrDefault()?.Value
                ?? Path.GetFileNameWithoutExtension(project);
            Assert.Equal(assembly + ".dll", entryDll);
        }
    }

    [Fact]
    public void Every_setting_the_deploy_files_give_the_services_is_an_options_property()
    {
        var names = ComposeServices()
            .Where(s => Scalar(s.Value, "image").StartsWith("aggregator/", StringComparison.Ordinal))
            .SelectMany(s => EnvironmentNames((YamlMappingNode)s.Value["environment"]))
            .Concat(K8sDocuments().Where(d => Scalar(d, "kind") == "Secret")
                .SelectMany(d => ((YamlMappingNode)d["stringData"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value!)))
            .Distinct()
            .ToList();

        Assert.Contains("Auth__BootstrapAdminKey", names);
        foreach (var name in names)
            Assert.True(IsSetting(name), $"{name} is set by deploy/ but is no options property (Section__Key)");
    }

    [Fact]
    public void The_ports_the_deploy_files_use_are_the_port_the_images_listen_on()
    {
        var text = File.ReadAllText(Path.Combine(Root, "deploy", "Dockerfile"));
        var listening = Regex.Match(text, @"ASPNETCORE_URLS=http://\+:(?<port>\d+)").Groups["port"].Value;
        Assert.Equal(listening, Regex.Match(text, @"EXPOSE (?<port>\d+)").Groups["port"].Value);

        var intake = ComposeServices()["intake"];
        Assert.Equal(listening, ((YamlScalarNode)((YamlSequenceNode)intake["ports"]).Children.Single()).Value!.Split(':')[1]);

        foreach (var container in K8sContainers().Where(c => Scalar(c, "image").StartsWith("aggregator/", StringComparison.Ordinal)))
        {
            var ports = ((YamlSequenceNode)container["ports"]).Children.Cast<YamlMappingNode>().Select(p => Scalar(p, "containerPort"));
            Assert.Equal([listening], ports);
            foreach (var probe in new[] { "readinessProbe", "livenessProbe" })
                Assert.Equal(listening, Scalar((YamlMappingNode)((YamlMappingNode)container[probe])["httpGet"], "port"));
        }

        foreach (var deployment in K8sDocuments().Where(d => Scalar(d, "kind") == "Deployment"))
        {
            var annotations = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)deployment["spec"])["template"])["metadata"])["annotations"];
            Assert.Equal(listening, Scalar(annotations, "prometheus.io/port"));
        }
    }

    [Fact]
    public void KEDA_scales_each_worker_on_every_queue_it_consumes_and_on_no_other()
    {
        var scaled = K8sDocuments("keda-scaling.yaml").Where(d => Scalar(d, "kind") == "ScaledObject").ToList();

        foreach (var (worker, register) in Workers)
        {
            var scaledObject = scaled.Single(d => Scalar((YamlMappingNode)((YamlMappingNode)d["spec"])["scaleTargetRef"], "name") == worker);
            var queues = ((YamlSequenceNode)((YamlMappingNode)scaledObject["spec"])["triggers"]).Children.Cast<YamlMappingNode>()
                .Select(t => Scalar((YamlMappingNode)t["metadata"], "queueName"))
                .ToHashSet();
            Assert.Equal(QueuesConsumedBy(register).Order(), queues.Order());
        }
    }

    [Fact]
    public void KEDA_reads_the_broker_address_from_a_key_the_connection_secret_has()
    {
        var secrets = K8sDocuments().Where(d => Scalar(d, "kind") == "Secret")
            .ToDictionary(d => Scalar((YamlMappingNode)d["metadata"], "name"), d => (YamlMappingNode)d["stringData"]);
        var auth = K8sDocuments("keda-scaling.yaml").Single(d => Scalar(d, "kind") == "TriggerAuthentication");

        foreach (var reference in ((YamlSequenceNode)((YamlMappingNode)auth["spec"])["secretTargetRef"]).Children.Cast<YamlMappingNode>())
            Assert.True(secrets[Scalar(reference, "name")].Children.ContainsKey(Scalar(reference, "key")));
    }

    [Fact]
    public void The_rabbitmq_definitions_are_loaded_and_their_policies_apply_to_queues_the_code_declares()
    {
        Assert.Contains("load_definitions = /etc/rabbitmq/definitions", File.ReadAllLines(Path.Combine(Root, "deploy", "rabbitmq", "rabbitmq.conf")));
        var mounts = Sequence(ComposeServices()["rabbitmq"], "volumes");
        Assert.Contains("./rabbitmq/definitions.json:/etc/rabbitmq/definitions/00-aggregator.json:ro", mounts);
        Assert.Contains("./rabbitmq/rabbitmq.conf:/etc/rabbitmq/conf.d/20-aggregator.conf:ro", mounts);
        Assert.Contains("rabbitmq_prometheus", File.ReadAllText(Path.Combine(Root, "deploy", "rabbitmq", "enabled_plugins")), StringComparison.Ordinal);

        using var definitions = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "deploy", "rabbitmq", "definitions.json")));
        var errorQueues = Workers.Values.SelectMany(QueuesConsumedBy).Select(q => q + "_error").ToList();
        foreach (var policy in definitions.RootElement.GetProperty("policies").EnumerateArray())
        {
            var pattern = new Regex(policy.GetProperty("pattern").GetString()!);
            Assert.Contains(errorQueues, pattern.IsMatch);
        }
    }

    [Fact]
    public void Every_file_the_compose_file_mounts_from_this_repository_exists()
    {
        var mounts = ComposeServices().Values
            .Where(s => s.Children.ContainsKey("volumes"))
            .SelectMany(s => Sequence(s, "volumes"))
            .Select(v => v.Split(':')[0])
            .Where(source => source.StartsWith("./", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(mounts);
        foreach (var source in mounts)
        {
            var path = Path.Combine(Root, "deploy", source[2..]);
            Assert.True(File.Exists(path) || Directory.Exists(path), $"compose mounts {source}, which deploy/ lacks");
        }
    }

    [Fact]
    public void Grafana_is_provisioned_with_the_prometheus_datasource_and_the_dashboard_folder_compose_mounts()
    {
        var grafana = Sequence(ComposeServices()["grafana"], "volumes");
        var dashboardMount = grafana.Single(v => v.StartsWith("./grafana/aggregator-dashboard.json:", StringComparison.Ordinal)).Split(':')[1];
        var provider = (YamlMappingNode)((YamlSequenceNode)LoadYaml(Path.Combine(Root, "deploy", "grafana", "provisioning", "dashboards", "aggregator.yaml"))["providers"]).Children.Single();
        Assert.Equal(Path.GetDirectoryName(dashboardMount), Scalar((YamlMappingNode)provider["options"], "path"));

        var datasource = (YamlMappingNode)((YamlSequenceNode)LoadYaml(Path.Combine(Root, "deploy", "grafana", "provisioning", "datasources", "prometheus.yaml"))["datasources"]).Children.Single();
        var prometheusPort = Sequence(ComposeServices()["prometheus"], "ports").Single().Split(':')[1];
        Assert.Equal($"http://prometheus:{prometheusPort}", Scalar(datasource, "url"));
    }

    [Fact]
    public void Prometheus_scrapes_every_service_and_the_broker_where_they_serve_their_metrics()
    {
        var jobs = ((YamlSequenceNode)LoadYaml(Path.Combine(Root, "deploy", "prometheus", "prometheus.yml"))["scrape_configs"]).Children
            .Cast<YamlMappingNode>()
            .ToDictionary(job => Scalar(job, "job_name"));
        var text = File.ReadAllText(Path.Combine(Root, "deploy", "Dockerfile"));
        var listening = Regex.Match(text, @"ASPNETCORE_URLS=http://\+:(?<port>\d+)").Groups["port"].Value;
        var services = ComposeServices().Where(s => Scalar(s.Value, "image").StartsWith("aggregator/", StringComparison.Ordinal) && !s.Value.Children.ContainsKey("profiles"));

        foreach (var (name, _) in services)
        {
            Assert.True(jobs.TryGetValue(name, out var job), $"prometheus.yml has no job for compose service {name}");
            Assert.Equal(Aggregator.ServiceDefaults.ServiceDefaultsExtensions.MetricsPath, Scalar(job, "metrics_path"));
            var discovery = (YamlMappingNode)((YamlSequenceNode)job["dns_sd_configs"]).Children.Single();
            Assert.Equal([name], Sequence(discovery, "names"));
            Assert.Equal(listening, Scalar(discovery, "port"));
        }

        var rabbitPort = Sequence(ComposeServices()["rabbitmq"], "ports").Single(p => p.EndsWith(":15692", StringComparison.Ordinal)).Split(':')[1];
        var detailed = jobs["rabbitmq-detailed"];
        Assert.Equal("/metrics/detailed", Scalar(detailed, "metrics_path"));
        Assert.Equal(["queue_coarse_metrics", "queue_consumer_count"], Sequence((YamlMappingNode)detailed["params"], "family").Order(StringComparer.Ordinal));
        Assert.Equal([$"rabbitmq:{rabbitPort}"], Sequence((YamlMappingNode)((YamlSequenceNode)detailed["static_configs"]).Children.Single(), "targets"));

        foreach (var deployment in K8sDocuments().Where(d => Scalar(d, "kind") == "Deployment"))
        {
            var annotations = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)deployment["spec"])["template"])["metadata"])["annotations"];
            Assert.Equal(Aggregator.ServiceDefaults.ServiceDefaultsExtensions.MetricsPath, Scalar(annotations, "prometheus.io/path"));
        }
    }

    [Theory]
    [InlineData(AdminKeyFile.DefaultPath)]
    [InlineData("services/Aggregator.Cli/bin/Release/net10.0/" + AdminKeyFile.DefaultPath)]
    [InlineData("aggregator.db")]
    [InlineData("services/Aggregator.Intake.Api/aggregator.db")]
    [InlineData("services/Aggregator.Intake.Api/aggregator.db-wal")]
    public void The_docker_build_context_leaves_out_keys_and_databases(string path) =>
        Assert.True(IsDockerIgnored(path), $"{path} would be copied into the images");

    [Theory]
    [InlineData("Aggregator.sln")]
    [InlineData("services/Aggregator.Intake.Api/Program.cs")]
    [InlineData("shared/Aggregator.Storage/Aggregator.Storage.csproj")]
    public void The_docker_build_context_keeps_the_sources(string path) =>
        Assert.False(IsDockerIgnored(path), $"{path} is needed to build the images");

    private static bool IsDockerIgnored(string path)
    {
        var ignored = false;
        foreach (var line in File.ReadAllLines(Path.Combine(Root, ".dockerignore")).Select(l => l.Trim()))
        {
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var negated = line.StartsWith('!');
            var pattern = negated ? line[1..] : line;
            if (DockerIgnorePattern(pattern).IsMatch(path))
                ignored = !negated;
        }

        return ignored;
    }

    // Docker's rules: ** spans directories, * and ? stay within one, and a match on a directory excludes what it holds.
    private static Regex DockerIgnorePattern(string pattern)
    {
        var body = Regex.Escape(pattern.TrimEnd('/'))
            .Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace(@"\?", "[^/]", StringComparison.Ordinal);
        return new Regex("^" + body + "(/.*)?$");
    }

    // The YAML merge key (<<: *anchor) is compose's, not the parser's: follow it by hand.
    private static IEnumerable<string> EnvironmentNames(YamlMappingNode environment) =>
        environment.Children.SelectMany(pair => ((YamlScalarNode)pair.Key).Value == "<<"
            ? EnvironmentNames((YamlMappingNode)pair.Value)
            : [((YamlScalarNode)pair.Key).Value!]);

    private static bool IsSetting(string name)
    {
        if (!name.Contains("__", StringComparison.Ordinal))
            return name.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || name.StartsWith("DOTNET_", StringComparison.Ordinal);

        var parts = name.Split("__");
        var type = OptionsTypes.SingleOrDefault(t => (string?)t.GetField("SectionName")?.GetRawConstantValue() == parts[0]);
        foreach (var part in parts.Skip(1))
        {
            if (type is null)
                return false;
            var property = type.GetProperty(part, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
                return false;
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            type = propertyType.IsClass && propertyType != typeof(string) && propertyType != typeof(Uri) ? propertyType : null;
        }

        return true;
    }

    /// <summary>The queue names a worker's bus declares: its consumers' definitions with the endpoint name formatter the bus uses.</summary>
    private static IReadOnlySet<string> QueuesConsumedBy(Action<IBusRegistrationConfigurator> register)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAggregatorMessaging(new ConfigurationBuilder().Build(), register);
        using var provider = services.BuildServiceProvider();
        var context = provider.GetRequiredService<IBusRegistrationContext>();
        var formatter = provider.GetRequiredService<IEndpointNameFormatter>();
        var queues = provider.GetServices<IConsumerRegistration>()
            .Select(registration => registration.GetDefinition(context).GetEndpointName(formatter))
            .ToHashSet();
        Assert.NotEmpty(queues);
        return queues;
    }

    private static Dictionary<string, string> DockerfileTargets()
    {
        var text = File.ReadAllText(Path.Combine(Root, "deploy", "Dockerfile"));
        return RuntimeTargetPattern().Matches(text).ToDictionary(m => m.Groups["target"].Value, m => m.Groups["dll"].Value);
    }

    private static Dictionary<string, YamlMappingNode> ComposeServices() =>
        ((YamlMappingNode)LoadYaml(Path.Combine(Root, "deploy", "compose.yaml"))["services"]).Children
            .ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => (YamlMappingNode)p.Value);

    private static IEnumerable<YamlMappingNode> K8sDocuments(string file = "aggregator.yaml")
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Root, "deploy", "k8s", file));
        stream.Load(reader);
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode);
    }

    private static IEnumerable<YamlMappingNode> K8sContainers() =>
        K8sDocuments()
            .Where(d => Scalar(d, "kind") is "Deployment" or "Job")
            .Select(d => (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)d["spec"])["template"])["spec"])
            .SelectMany(spec => ((YamlSequenceNode)spec["containers"]).Children.Cast<YamlMappingNode>());

    private static YamlMappingNode LoadYaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static string Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) ? ((YamlScalarNode)value).Value ?? string.Empty : string.Empty;

    private static List<string> Sequence(YamlMappingNode node, string key) =>
        [.. ((YamlSequenceNode)node[key]).Children.Select(c => ((YamlScalarNode)c).Value!)];

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aggregator.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException("Aggregator.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"FROM runtime AS (?<target>[a-z-]+)\s*\nCOPY --from=publish-\k<target> /app \.\s*\nENTRYPOINT \[""dotnet"", ""(?<dll>[^""]+)""\]")]
    private static partial Regex RuntimeTargetPattern();

    [GeneratedRegex(@"^aggregator/(?<target>[a-z-]+):(?<tag>[A-Za-z0-9._-]+)$")]
    private static partial Regex ImagePattern();
}
