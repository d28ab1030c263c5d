using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Storage.Connections;

/// <summary>The readiness probe of every process that uses the database: open a connection and run a trivial query.</summary>
public static class DatabaseProbe
{
    private const string PingSql = "SELECT 1";

    public static async Task CheckAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var connections = services.GetRequiredService<IDbConnectionFactory>();
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteScalarAsync<int>(new CommandDefinition(PingSql, cancellationToken: cancellationToken));
    }
}
