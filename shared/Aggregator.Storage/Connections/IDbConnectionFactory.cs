using System.Data.Common;

namespace Aggregator.Storage.Connections;

/// <summary>Opens connections to the configured database; the only place that knows the connection string.</summary>
public interface IDbConnectionFactory
{
    DatabaseProvider Provider { get; }

    /// <summary>Provider, server and database name, safe to log (never the password).</summary>
    string Description { get; }

    /// <summary>An open connection; transient faults while opening are retried.</summary>
    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);
}
