namespace Aggregator.Messaging.Tests.Support;

/// <summary>
/// MassTransit's meter is process-wide and belongs to the most recently started host; a test that reads a host's
/// bus metrics while other tests start hosts in parallel would read a meter someone else owns, so these run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMetricsCollection
{
    public const string Name = "process-wide MassTransit metrics";
}
