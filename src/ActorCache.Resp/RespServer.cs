using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ActorCache.Node;
using Akka.Actor;
using Akka.Event;

namespace ActorCache.Resp;

/// <summary>
/// The RESP (Redis protocol) front end of a node: a TCP listener whose connections parse pipelined commands, hand
/// them to the keyspace actors in batches and write the replies back in request order. Start it with
/// <see cref="StartAsync"/>; CoordinatedShutdown stops it (no new clients once the node starts stopping, connections
/// closed once the node has flushed).
/// </summary>
public sealed class RespServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly ConcurrentDictionary<long, RespConnection> _connections = new();
    private readonly ConcurrentDictionary<long, Task> _running = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILoggingAdapter _log;
    private readonly Timer _idleSweep;
    private RespSettings _settings;
    private long _nextClientId;
    private Task _acceptLoop = Task.CompletedTask;

    private RespServer(ActorSystem system, ActorCacheNode node, IReadOnlyList<IActorRef> keyspaces, RespSettings settings, Socket listener)
    {
        System = system;
        Node = node;
        Keyspaces = keyspaces;
        _settings = settings;
        _listener = listener;
        _log = Logging.GetLogger(system, typeof(RespServer));
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _idleSweep = new Timer(_ => CloseIdleClients(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Where the server listens (the real port when 0 was asked for).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The settings in force now (CONFIG SET changes some at run time).</summary>
    public RespSettings Settings => Volatile.Read(ref _settings);

    internal ActorSystem System { get; }

    internal ActorCacheNode Node { get; }

    internal IReadOnlyList<IActorRef> Keyspaces { get; }

    internal RespStatistics Statistics { get; } = new();

    internal ICollection<RespConnection> Connections => _connections.Values;

    /// <summary>Listens on <see cref="RespSettings.Host"/>:<see cref="RespSettings.Port"/> for <paramref name="node"/>.</summary>
    /// <exception cref="SocketException">The address cannot be bound (port taken, unknown interface).</exception>
    public static async Task<RespServer> StartAsync(ActorSystem system, ActorCacheNode node, RespSettings settings)
    {
        var keyspaces = await node.KeyspacesAsync();
        var address = IPAddress.TryParse(settings.Host, out var ip) ? ip : (await Dns.GetHostAddressesAsync(settings.Host))[0];
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(address, settings.Port));
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        var server = new RespServer(system, node, keyspaces, settings, listener);
        server._acceptLoop = Task.Run(server.AcceptLoopAsync);
        var shutdown = CoordinatedShutdown.Get(system);
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceUnbind, "actor-cache-resp-unbind", () =>
        {
            server.StopListening();
            return Task.FromResult(Akka.Done.Instance);
        });
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceStop, "actor-cache-resp-stop", async () =>
        {
            await server.DisposeAsync();
            return Akka.Done.Instance;
        });
        return server;
    }

    /// <summary>Stops listening and closes every connection; replies owed are dropped with the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        StopListening();
        await _idleSweep.DisposeAsync();
        await _acceptLoop;
        await Task.WhenAll(_connections.Values.Select(connection => connection.CloseAsync()));
        await Task.WhenAll(_running.Values);
    }

    internal void ChangeSettings(Func<RespSettings, RespSettings> change)
    {
        RespSettings current, changed;
        do
        {
            current = Settings;
            changed = change(current);
        }
        while (Interlocked.CompareExchange(ref _settings, changed, current) != current);
    }

    private void StopListening()
    {
        if (_stopping.IsCancellationRequested) return;
        _stopping.Cancel();
        _listener.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException && _stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                // A client that reset the connection before it was accepted: nothing to do for it, the next one goes on.
                _log.Debug("RESP accept failed: {0}", ex.SocketErrorCode);
                continue;
            }

            Statistics.ConnectionReceived();
            socket.NoDelay = true;
            if (_connections.Count >= Settings.MaxClients)
            {
                Statistics.ConnectionRejected();
                _ = RejectAsync(socket);
                continue;
            }

            var connection = new RespConnection(this, socket, Interlocked.Increment(ref _nextClientId));
            _connections[connection.Id] = connection;
            _running[connection.Id] = RunAsync(connection);
            // Stopping may have taken its list of connections just before this one was added.
            if (_stopping.IsCancellationRequested) _ = connection.CloseAsync();
        }
    }

    private async Task RunAsync(RespConnection connection)
    {
        try
        {
            await connection.RunAsync();
        }
        catch (Exception ex)
        {
            LogConnectionFailure(connection, ex);
        }
        finally
        {
            _connections.TryRemove(connection.Id, out _);
            _running.TryRemove(connection.Id, out _);
        }
    }

    /// <summary>A connection's failure is its own: the node and every other connection go on.</summary>
    internal void LogConnectionFailure(RespConnection connection, Exception ex) =>
        _log.Warning("RESP client {0} ({1}) failed: {2}", connection.Id, connection.RemoteAddress, ex);

    private static async Task RejectAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                await socket.SendAsync("-ERR max number of clients reached\r\n"u8.ToArray(), SocketFlags.None);
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // The client is gone already.
            }
        }
    }

    private void CloseIdleClients()
    {
        var timeout = Settings.IdleTimeout;
        if (timeout <= TimeSpan.Zero) return;
        var now = Environment.TickCount64;
        foreach (var connection in _connections.Values)
        {
            if (connection.IsIdleLongerThan(timeout, now)) _ = connection.CloseAsync();
        }
    }
}
