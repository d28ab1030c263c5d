using System.ComponentModel.DataAnnotations;

namespace Aggregator.Hosting;

/// <summary>The <c>Reconciler</c> configuration section: how lost messages are found and announced again.</summary>
public sealed class ReconcilerOptions
{
    public const string SectionName = "Reconciler";

    public bool Enabled { get; set; } = true;

    /// <summary>How often a pass runs.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a record may wait for its next step before it is announced again; longer than the consumers' retries
    /// and redeliveries take, so that a message still being retried is rarely announced twice.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "7.00:00:00")]
    public TimeSpan StalledAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Records of each kind announced at most per pass.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;
}
