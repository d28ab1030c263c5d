using System.Reflection;
using Aggregator.Storage.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Aggregator.Storage.Tests;

/// <summary>SQL Server cannot run here, so every T-SQL text the library may send it is at least parsed.</summary>
public sealed class SqlServerSqlParsesTests
{
    private static readonly Assembly Storage = typeof(DatabaseMigrator).Assembly;

    // Text written for PostgreSQL/SQLite only: the type names and field prefixes that mark it.
    private static readonly string[] OtherDialects = ["Standard", "Sqlite", "Postgres"];

    public static TheoryData<string> MigrationScripts() =>
        [.. Storage.GetManifestResourceNames().Where(name => name.Contains(".Migrations.SqlServer.", StringComparison.Ordinal))];

    public static TheoryData<string> SqlConstants() =>
        [.. SqlServerSql().Select(constant => constant.Name)];

    [Fact]
    public void Every_dialect_has_the_same_migration_script_names()
    {
        string[] Scripts(string folder) =>
            [.. Storage.GetManifestResourceNames()
                .Where(name => name.Contains($".Migrations.{folder}.", StringComparison.Ordinal))
                .Select(name => name[(name.IndexOf($".{folder}.", StringComparison.Ordinal) + folder.Length + 2)..])
                .Order(StringComparer.Ordinal)];

        Assert.NotEmpty(Scripts("SqlServer"));
        Assert.Equal(Scripts("SqlServer"), Scripts("Postgres"));
        Assert.Equal(Scripts("SqlServer"), Scripts("Sqlite"));
    }

    [Fact]
    public void The_statement_scan_finds_the_shared_and_sql_server_statements()
    {
        var names = SqlServerSql().Select(constant => constant.Name).ToList();

        Assert.Contains("SqlServerStatements.UpsertSubmissionSql", names);
        Assert.Contains("SubmissionRepository.SelectVersionSql", names);
        Assert.Contains("SqlServerMigrationLock.AcquireSql", names);
        Assert.DoesNotContain("StandardStatements.UpsertSubmissionSql", names);
        Assert.True(names.Count > 40, $"Only {names.Count} statements were found.");
    }

    [Theory]
    [MemberData(nameof(MigrationScripts))]
    public void Migration_script_parses_as_T_SQL(string resource)
    {
        using var stream = Storage.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);

        AssertParses(reader.ReadToEnd(), resource);
    }

    [Theory]
    [MemberData(nameof(SqlConstants))]
    public void Statement_parses_as_T_SQL(string name)
    {
        AssertParses(SqlServerSql().Single(constant => constant.Name == name).Sql, name);
    }

    private static void AssertParses(string sql, string source)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        parser.Parse(new StringReader(sql), out var errors);

        Assert.True(errors.Count == 0, $"{source}:\n" + string.Join('\n', errors.Select(error => $"line {error.Line}, column {error.Column}: {error.Message}")));
    }

    private static IEnumerable<(string Name, string Sql)> SqlServerSql() =>
        from type in Storage.GetTypes()
        where !OtherDialects.Any(prefix => type.Name.StartsWith(prefix, StringComparison.Ordinal))
        from field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
        where field.IsLiteral && field.FieldType == typeof(string) && field.Name.EndsWith("Sql", StringComparison.Ordinal)
        where !OtherDialects.Any(prefix => field.Name.StartsWith(prefix, StringComparison.Ordinal))
        select ($"{type.Name}.{field.Name}", (string)field.GetRawConstantValue()!);
}
