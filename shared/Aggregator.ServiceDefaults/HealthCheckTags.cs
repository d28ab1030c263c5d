namespace Aggregator.ServiceDefaults;

/// <summary>Tags that choose which health checks each health endpoint runs.</summary>
public static class HealthCheckTags
{
    /// <summary>The process is up; a failure here means restart it.</summary>
    public const string Live = "live";

    /// <summary>The process can do its work; MassTransit tags its bus check with this name too.</summary>
    public const string Ready = "ready";
}
