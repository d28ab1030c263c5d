using Aggregator.Storage.Connections;
using Aggregator.Storage.Dialects;
using Dapper;

namespace Aggregator.Storage.Reports;

/// <summary>A rendered report of a rollup in one format.</summary>
public sealed record StoredReport
{
    public required Guid RollupId { get; init; }

    /// <summary>One of <see cref="ReportFormat"/>.</summary>
    public required string Format { get; init; }

    public required string Content { get; init; }

    public required DateTimeOffset RenderedAt { get; init; }
}

public sealed class ReportRepository(IDbConnectionFactory connections, SqlDialect dialect, StorageClock clock)
{
    private const string SelectOneSql = """
        SELECT rollup_id, format, content, rendered_at FROM reports WHERE rollup_id = @RollupId AND format = @Format
        """;

    internal const string SelectFormatsSql = """
        SELECT format FROM reports WHERE rollup_id = @RollupId ORDER BY format
        """;

    /// <summary>Stores or replaces a rendering; saving identical content again changes nothing.</summary>
    public async Task SaveAsync(Guid rollupId, string format, string content, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            dialect.UpsertReportSql,
            new { RollupId = rollupId, Format = format, Content = content, RenderedAt = clock.UtcNow() },
            cancellationToken: cancellationToken));
    }

    public async Task<StoredReport?> GetAsync(Guid rollupId, string format, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StoredReport>(new CommandDefinition(
            SelectOneSql, new { RollupId = rollupId, Format = format }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<string>> ListFormatsAsync(Guid rollupId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            SelectFormatsSql, new { RollupId = rollupId }, cancellationToken: cancellationToken))).AsList();
    }
}
