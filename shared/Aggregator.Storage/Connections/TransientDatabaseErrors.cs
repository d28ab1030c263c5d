using System.Net.Sockets;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Aggregator.Storage.Connections;

/// <summary>Tells faults worth retrying (network, failover, lock contention) from those that are not (bad credentials, missing database).</summary>
public static class TransientDatabaseErrors
{
    // Login failures and a missing database stay failures however often they are retried.
    private static readonly HashSet<string> PostgresPermanentStates = ["28P01", "28000", "3D000", "42501"];

    private static readonly HashSet<int> SqlServerPermanentNumbers = [18456, 18452, 18486, 18487, 18488, 4060];

    private static readonly HashSet<int> SqlServerTransientNumbers =
        [-2, 20, 35, 40, 53, 64, 121, 233, 1205, 10053, 10054, 10060, 10061, 10928, 10929, 40197, 40501, 40613, 49918, 49919, 49920];

    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException postgres => !PostgresPermanentStates.Contains(postgres.SqlState) && postgres.IsTransient,
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or TimeoutException or IOException,
        SqlException sql => !SqlServerPermanentNumbers.Contains(sql.Number)
            && (SqlServerTransientNumbers.Contains(sql.Number) || sql.InnerException is SocketException),
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6,
        SocketException or TimeoutException => true,
        _ => false,
    };

    /// <summary>
    /// Whether <paramref name="exception"/> (or an exception it wraps) means the database cannot be used now, as
    /// opposed to a fault of the statement: unreachable, shutting down, busy or locked, or an embedded file that cannot
    /// be opened. Callers answer such faults with "try again later", never as a bug.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DatabaseUnavailableException || IsTransient(current) || IsUnusableConnection(current))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <paramref name="exception"/> as a <see cref="DatabaseUnavailableException"/> naming <paramref name="description"/>
    /// when <see cref="IsUnavailable"/> holds, else null (the fault is left as it is).
    /// </summary>
    public static DatabaseUnavailableException? AsUnavailable(Exception exception, string description) => exception switch
    {
        DatabaseUnavailableException unavailable => unavailable,
        _ when IsUnavailable(exception) => new DatabaseUnavailableException($"The {description} is unavailable: {exception.Message}", exception),
        _ => null,
    };

    // Faults that retrying at once does not cure, yet are the database's state, not the statement's: a broken or
    // closed connection, an embedded file that cannot be opened (SQLITE_CANTOPEN 14, SQLITE_IOERR 10).
    private static bool IsUnusableConnection(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal),
        NpgsqlException npgsql => npgsql.InnerException is EndOfStreamException or ObjectDisposedException,
        SqliteException sqlite => sqlite.SqliteErrorCode is 10 or 14,
        _ => false,
    };

    public static bool IsAuthenticationFailure(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState is "28P01" or "28000",
        SqlException sql => sql.Number is 18456 or 18452 or 18486 or 18487 or 18488,
        _ => false,
    };
}
