using System.Data.Common;
using Aggregator.Storage.Dapper;
using Polly;

namespace Aggregator.Storage.Connections;

public abstract class ResilientConnectionFactory : IDbConnectionFactory
{
    private readonly ResiliencePipeline _pipeline = ConnectionResilience.ForCalls();

    protected ResilientConnectionFactory(DatabaseProvider provider, string connectionString)
    {
        DapperConventions.Apply();
        Provider = provider;
        Description = DatabaseDescription.Of(provider, connectionString);
    }

    public DatabaseProvider Provider { get; }

    public string Description { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(async token => await OpenOnceAsync(token), cancellationToken);
        }
        catch (Exception exception) when (TransientDatabaseErrors.AsUnavailable(exception, Description) is { } unavailable)
        {
            throw unavailable;
        }
    }

    protected abstract Task<DbConnection> OpenOnceAsync(CancellationToken cancellationToken);
}
