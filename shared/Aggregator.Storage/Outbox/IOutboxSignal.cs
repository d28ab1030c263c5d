namespace Aggregator.Storage.Outbox;

/// <summary>Wakes this process's outbox relay; a writer calls it right after committing outbox rows.</summary>
public interface IOutboxSignal
{
    /// <summary>Asks for a relay pass as soon as possible; cheap, never blocks, and calls close together merge into one pass.</summary>
    void Notify();
}
