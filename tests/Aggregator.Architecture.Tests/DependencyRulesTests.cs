using Xunit;
using System.Reflection;
using System.Xml.Linq;
using NetArchTest.Rules;

namespace Aggregator.Architecture.Tests;

public sealed class DependencyRulesTests
{
    private static readonly Assembly Core = Assembly.Load("Aggregator.Core");
    private static readonly Assembly Contracts = Assembly.Load("Aggregator.Contracts");

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
