namespace Aggregator.Messaging.Outbox;

/// <summary>What one relay pass did: rows published and marked, failed attempts it recorded, and rows that became dead.</summary>
public sealed record OutboxRelayResult(int Published, int Failed, int Dead = 0)
{
    public static OutboxRelayResult None { get; } = new(0, 0);
}
