using System.Collections.Concurrent;
using MassTransit;

namespace Aggregator.Messaging;

/// <summary>
/// The last state each receive endpoint reported. MassTransit's own bus check stays Healthy while an endpoint
/// waits to reconnect, so readiness reads the endpoints' events instead.
/// </summary>
public sealed class ReceiveEndpointStates : IReceiveEndpointObserver
{
    private readonly ConcurrentDictionary<Uri, string?> faults = new();

    /// <summary>Endpoints whose last event was a fault, with its reason.</summary>
    public IReadOnlyDictionary<Uri, string> FaultedEndpoints =>
        faults.Where(pair => pair.Value is not null).ToDictionary(pair => pair.Key, pair => pair.Value!);

    public Task Ready(ReceiveEndpointReady ready)
    {
        faults[ready.InputAddress] = null;
        return Task.CompletedTask;
    }

    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        faults[faulted.InputAddress] = faulted.Exception?.Message ?? "faulted";
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;
}
