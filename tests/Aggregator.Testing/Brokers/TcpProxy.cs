using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Aggregator.Testing.Brokers;

/// <summary>
/// A loopback TCP forwarder that a test can cut and restore, to simulate a broker outage without stopping the
/// shared broker: while interrupted, open connections are reset and new ones are closed as soon as accepted.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<Guid, (TcpClient Inbound, TcpClient Outbound)> links = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly string targetHost;
    private readonly int targetPort;
    private readonly Task acceptLoop;
    private volatile bool interrupted;

    private TcpProxy(string targetHost, int targetPort)
    {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        listener.Start();
        acceptLoop = AcceptAsync();
    }

    /// <summary>The local port to connect to instead of the target's.</summary>
    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public static TcpProxy Start(string targetHost, int targetPort) => new(targetHost, targetPort);

    /// <summary>Resets every open connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Interrupt()
    {
        interrupted = true;
        foreach (var id in links.Keys)
            Close(id);
    }

    public void Restore() => interrupted = false;

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        foreach (var id in links.Keys)
            Close(id);
        try
        {
            await acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }

        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (interrupted)
            {
                inbound.Client.LingerState = new LingerOption(true, 0);
                inbound.Dispose();
                continue;
            }

            _ = LinkAsync(inbound);
        }
    }

    private async Task LinkAsync(TcpClient inbound)
    {
        var outbound = new TcpClient();
        try
        {
            await outbound.ConnectAsync(targetHost, targetPort, stopping.Token);
        }
        catch (Exception)
        {
            inbound.Dispose();
            outbound.Dispose();
            return;
        }

        var id = Guid.NewGuid();
        links[id] = (inbound, outbound);
        if (interrupted)
        {
            // Interrupt ran while this link was still connecting.
            Close(id);
            return;
        }

        try
        {
            await Task.WhenAny(
                PumpAsync(inbound.GetStream(), outbound.GetStream()),
                PumpAsync(outbound.GetStream(), inbound.GetStream()));
        }
        finally
        {
            Close(id);
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, stopping.Token)) > 0)
                await to.WriteAsync(buffer.AsMemory(0, read), stopping.Token);
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Either side went away or the proxy was cut: the link ends.
        }
    }

    private void Close(Guid id)
    {
        if (!links.TryRemove(id, out var link))
            return;
        foreach (var client in new[] { link.Inbound, link.Outbound })
        {
            try
            {
                client.Client.LingerState = new LingerOption(true, 0);
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
            }

            client.Dispose();
        }
    }
}
