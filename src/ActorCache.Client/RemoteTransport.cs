using ActorCache.Protocol;
using Akka.Actor;

namespace ActorCache.Client;

/// <summary>
/// A node over Akka.Remote: every request is handed to the connection's one long-lived <see cref="RemoteClientActor"/>,
/// which sends it with its own correlation id and completes it when the matching reply comes back.
/// </summary>
internal sealed class RemoteTransport(ActorSystem system, IActorRef clientActor, ConnectionLifetime lifetime, string nodeAddress, string entryPath, TimeSpan requestTimeout)
    : ICacheTransport
{
    private readonly long _timeoutMs = (long)Math.Ceiling(requestTimeout.TotalMilliseconds);
    private readonly long? _maxPayload = RemoteFrameLimit.MaxPayloadBytes(system.Settings.Config);

    public Task<T> Send<T>(byte[][] arguments, int database, Func<RedisReply, T> read)
    {
        // Akka.Remote would drop an over-size request with a log line, and the caller would wait for its timeout.
        if (_maxPayload is { } max && RemoteFrameLimit.SizeOf(arguments) is var size && size > max)
        {
            return Task.FromException<T>(new CacheException(
                $"request of about {size} bytes is over Akka.Remote's frame limit ({max} bytes of payload): raise "
                + "akka.remote.dot-netty.tcp.maximum-frame-size on the client and the node, or send large values over RESP"));
        }

        var call = new RemoteCall<T>(database, arguments, Environment.TickCount64 + _timeoutMs, read);
        clientActor.Tell(call, ActorRefs.NoSender);
        // A stopping actor sets Closed, then fails every call in its mailbox; the fence orders this read after our
        // enqueue, so a call it could not find is failed here (never left in dead letters with its task pending).
        Interlocked.MemoryBarrier();
        if (lifetime.Closed is { } closed) call.Fail(closed);
        return call.Task;
    }

    public Task<RedisReply> TransactionAsync(byte[][][] commands, TransactionCondition[] conditions, int database)
    {
        long size = 32;
        foreach (var command in commands) size += RemoteFrameLimit.SizeOf(command);
        foreach (var condition in conditions) size += 10 + condition.Key.Length + (condition.Value?.Length ?? 0);
        if (_maxPayload is { } max && size > max)
        {
            return Task.FromException<RedisReply>(new CacheException(
                $"transaction of about {size} bytes is over Akka.Remote's frame limit ({max} bytes of payload): raise "
                + "akka.remote.dot-netty.tcp.maximum-frame-size on the client and the node, or split it"));
        }

        var call = new RemoteCall<RedisReply>(database, [], Environment.TickCount64 + _timeoutMs, static reply => reply)
        {
            Transaction = new CacheTransaction(0, database, commands, conditions),
        };
        clientActor.Tell(call, ActorRefs.NoSender);
        // The same fence as in Send: a call the stopping actor could not find is failed here.
        Interlocked.MemoryBarrier();
        if (lifetime.Closed is { } closed) call.Fail(closed);
        return call.Task;
    }

    public Task FlushToDiskAsync(TimeSpan timeout) =>
        lifetime.Closed is { } closed ? Task.FromException(closed) : AskFlushAsync(timeout);

    private async Task AskFlushAsync(TimeSpan timeout)
    {
        // A barrier is rare: an Ask through the selection finds the node wherever its current incarnation is.
        try
        {
            await system.ActorSelection(nodeAddress + entryPath).Ask<FlushedToDisk>(FlushToDisk.Instance, timeout);
        }
        catch (AskTimeoutException)
        {
            throw new CacheUnavailableException(nodeAddress, $"no flush confirmation within {timeout}");
        }
    }

    public Task<NodeStats> GetStatsAsync() =>
        lifetime.Closed is { } closed ? Task.FromException<NodeStats>(closed) : AskStatsAsync();

    private async Task<NodeStats> AskStatsAsync()
    {
        // Rare, like the barrier: an Ask through the selection, bounded by the connection's request timeout.
        try
        {
            return await system.ActorSelection(nodeAddress + entryPath).Ask<NodeStats>(GetStats.Instance, requestTimeout);
        }
        catch (AskTimeoutException)
        {
            throw new CacheUnavailableException(nodeAddress, $"no stats within {requestTimeout}");
        }
    }

    public void Stop() => clientActor.Tell(RemoteClientActor.Stop.Instance, ActorRefs.NoSender);
}
