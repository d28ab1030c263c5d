namespace Aggregator.Storage;

/// <summary>The <c>Database</c> configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary><c>sqlite</c> (embedded default), <c>postgres</c> or <c>sqlserver</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    public string ConnectionString { get; set; } = "Data Source=aggregator.db";

    /// <summary>How many times start-up retries a database that cannot be reached yet.</summary>
    public int StartupRetries { get; set; } = 6;

    /// <summary>The first start-up retry delay; later ones grow exponentially.</summary>
    public TimeSpan StartupRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public DatabaseProvider ParsedProvider => DatabaseProviders.Parse(Provider);
}
