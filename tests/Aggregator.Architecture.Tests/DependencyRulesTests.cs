using Xunit;
using System.Reflection;
using System.Xml.Linq;
using NetArchTest.Rules;

namespace Aggregator.Architecture.Tests;

public sealed class DependencyRulesTests
{
    private static readonly Assembly Core = Assembly.Load("Aggregator.Core");
    private static readonly Assembly Contracts = Assembly.Load("Aggregator.Contracts");
    private static readonly Assembly Application = Assembly.Load("Aggregator.Application");
    private static readonly Assembly Storage = Assembly.Load("Aggregator.Storage");
    private static readonly Assembly ServiceDefaults = Assembly.Load("Aggregator.ServiceDefaults");
    private static readonly Assembly Intake = Assembly.Load("Aggregator.Intake");

    private static readonly string[] DomainProjects =
        ["Aggregator.Core", "Aggregator.Contracts", "Aggregator.Application", "Aggregator.Storage", "Aggregator.Messaging"];

    [Fact]
    public void The_core_depends_on_no_web_bus_or_database_library()
    {
        var result = Types.InAssembly(Core)
            .ShouldNot()
            .HaveDependencyOnAny(
                "Microsoft.AspNetCore", "MassTransit", "RabbitMQ", "Dapper", "Npgsql", "Microsoft.Data",
                "System.Data", "DbUp", "Scriban", "Aggregator.Storage", "Aggregator.Messaging")
            .GetResult();

        Assert.True(result.IsSuccessful, "Core types with I/O dependencies: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void The_use_cases_depend_on_no_bus_database_driver_or_web_library()
    {
        var result = Types.InAssembly(Application)
            .ShouldNot()
            .HaveDependencyOnAny(
                "MassTransit", "RabbitMQ", "Aggregator.Messaging", "Dapper", "Npgsql", "Microsoft.Data", "System.Data", "DbUp",
                "Microsoft.AspNetCore")
            .GetResult();

        Assert.True(result.IsSuccessful, "Application types with bus, database or web dependencies: " + string.Join(", ", result.FailingTypeNames ?? []));
        Assert.DoesNotContain(ProjectReferences("shared/Aggregator.Application/Aggregator.Application.csproj"), r => r.Contains("Aggregator.Messaging", StringComparison.Ordinal));
    }

    [Fact]
    public void Service_defaults_know_no_domain_project()
    {
        var result = Types.InAssembly(ServiceDefaults).ShouldNot().HaveDependencyOnAny([.. DomainProjects, "MassTransit"]).GetResult();
        var references = ProjectReferences("shared/Aggregator.ServiceDefaults/Aggregator.ServiceDefaults.csproj");

        Assert.True(result.IsSuccessful, "ServiceDefaults types with domain dependencies: " + string.Join(", ", result.FailingTypeNames ?? []));
        Assert.DoesNotContain(references, r => DomainProjects.Any(project => r.EndsWith($"/{project}.csproj", StringComparison.Ordinal)));
    }

    [Fact]
    public void Storage_stores_messages_without_knowing_the_contracts()
    {
        var result = Types.InAssembly(Storage).ShouldNot().HaveDependencyOnAny("Aggregator.Contracts", "Aggregator.Messaging", "MassTransit").GetResult();

        Assert.True(result.IsSuccessful, "Storage types that depend on the contracts: " + string.Join(", ", result.FailingTypeNames ?? []));
        Assert.DoesNotContain(ProjectReferences("shared/Aggregator.Storage/Aggregator.Storage.csproj"), r => r.Contains("Aggregator.Contracts", StringComparison.Ordinal));
    }

    [Fact]
    public void Endpoints_reach_storage_only_through_the_use_cases()
    {
        var repositories = Storage.GetExportedTypes()
            .Where(type => type.Name.EndsWith("Repository", StringComparison.Ordinal))
            .Select(type => type.FullName!)
            .ToArray();

        var result = Types.InAssembly(Intake).That().ResideInNamespace("Aggregator.Intake.Endpoints")
            .ShouldNot().HaveDependencyOnAny(repositories).GetResult();

        Assert.NotEmpty(repositories);
        Assert.True(result.IsSuccessful, "Endpoints that use a repository: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Theory]
    [InlineData("services/Aggregator.Intake.Api/Program.cs")]
    [InlineData("services/Aggregator.Validation.Worker/Program.cs")]
    [InlineData("services/Aggregator.Aggregation.Worker/Program.cs")]
    [InlineData("services/Aggregator.Cli/Hosting/AllInOneHost.cs")]
    [InlineData("services/Aggregator.Cli/Hosting/EmbeddedPipeline.cs")]
    public void Every_composition_root_uses_the_one_host_set_up(string file)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), file));

        Assert.Matches(@"\.AddAggregator(Service|Pipeline)\(", text);
        Assert.DoesNotContain("AddAggregatorMessaging(", text, StringComparison.Ordinal);
        Assert.DoesNotContain("AddOutboxRelay(", text, StringComparison.Ordinal);
        Assert.DoesNotContain("AddDatabaseMigrationOnStartup(", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("services/Aggregator.Validation.Worker/Program.cs")]
    [InlineData("services/Aggregator.Aggregation.Worker/Program.cs")]
    [InlineData("services/Aggregator.Cli/Hosting/AllInOneHost.cs")]
    [InlineData("services/Aggregator.Cli/Hosting/EmbeddedPipeline.cs")]
    public void Every_process_that_consumes_runs_the_reconciler(string file)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), file));

        Assert.Contains(".AddStalledWorkReconciler(", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Message_contracts_are_plain_records_in_one_namespace()
    {
        var types = Contracts.GetExportedTypes();

        Assert.NotEmpty(types);
        Assert.All(types, t => Assert.Equal("Aggregator.Contracts", t.Namespace));
        Assert.All(types, t => Assert.NotNull(t.GetMethod("<Clone>$")));
        Assert.True(Types.InAssembly(Contracts).ShouldNot().HaveDependencyOnAny("MassTransit", "Aggregator.Core", "Aggregator.Storage", "Aggregator.Messaging").GetResult().IsSuccessful);
    }

    [Theory]
    [InlineData("Aggregator.Intake.Api")]
    [InlineData("Aggregator.Validation.Worker")]
    [InlineData("Aggregator.Aggregation.Worker")]
    [InlineData("Aggregator.Cli")]
    [InlineData("Aggregator.Intake")]
    [InlineData("Aggregator.Validation")]
    [InlineData("Aggregator.Aggregation")]
    public void A_service_never_references_another_services_deployable(string project)
    {
        var references = ProjectReferences(Path.Combine("services", project, project + ".csproj"));
        var allowed = AllowedServiceReferences(project);

        var offending = references
            .Where(r => r.StartsWith("services/", StringComparison.Ordinal))
            .Where(r => !allowed.Contains(Path.GetFileNameWithoutExtension(r)))
            .ToList();

        Assert.True(offending.Count == 0, $"{project} references other services: {string.Join(", ", offending)}");
    }

    [Theory]
    [InlineData("Aggregator.Core")]
    [InlineData("Aggregator.Contracts")]
    [InlineData("Aggregator.Storage")]
    [InlineData("Aggregator.Messaging")]
    [InlineData("Aggregator.Reporting")]
    [InlineData("Aggregator.Application")]
    [InlineData("Aggregator.ServiceDefaults")]
    [InlineData("Aggregator.Redaction")]
    [InlineData("Aggregator.Hosting")]
    [InlineData("Aggregator.Import")]
    public void Shared_libraries_never_reference_services(string project)
    {
        var references = ProjectReferences(Path.Combine("shared", project, project + ".csproj"));

        Assert.DoesNotContain(references, r => r.StartsWith("services/", StringComparison.Ordinal));
    }

    // A deployable may host its own service library; only the all-in-one CLI hosts every service library.
    private static HashSet<string> AllowedServiceReferences(string project) => project switch
    {
        "Aggregator.Intake.Api" => ["Aggregator.Intake"],
        "Aggregator.Validation.Worker" => ["Aggregator.Validation"],
        "Aggregator.Aggregation.Worker" => ["Aggregator.Aggregation"],
        "Aggregator.Cli" => ["Aggregator.Intake", "Aggregator.Validation", "Aggregator.Aggregation"],
        _ => [],
    };

    private static List<string> ProjectReferences(string relativeProjectPath)
    {
        var root = RepositoryRoot();
        var path = Path.Combine(root, relativeProjectPath);
        var directory = Path.GetDirectoryName(path)!;
        return XDocument.Load(path).Descendants("ProjectReference")
            .Select(e => Path.GetRelativePath(root, Path.GetFullPath(Path.Combine(directory, e.Attribute("Include")!.Value)))
                .Replace('\\', '/'))
            .ToList();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aggregator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Aggregator.sln not found above " + AppContext.BaseDirectory);
    }
}
