namespace Aggregator.Messaging.Outbox;

/// <summary>What one relay pass did: rows published and marked, and failed attempts it recorded.</summary>
public sealed record OutboxRelayResult(int Published, int Failed)
{
    public static OutboxRelayResult None { get; } = new(0, 0);
}
