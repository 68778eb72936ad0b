using ActorCache.Protocol;

namespace ActorCache.Client;

/// <summary>
/// How a <see cref="CacheClient"/> reaches its node: in the same ActorSystem (<see cref="EmbeddedTransport"/>) or over
/// Akka.Remote (<see cref="RemoteTransport"/>). The typed methods of the client are written once on top of it.
/// </summary>
internal interface ICacheTransport
{
    /// <summary>Sends one command to <paramref name="database"/>; the task completes with the reply turned by <paramref name="read"/>.</summary>
    Task<T> Send<T>(byte[][] arguments, int database, Func<RedisReply, T> read);

    /// <summary>Runs <paramref name="commands"/> as one transaction in <paramref name="database"/> (<see cref="CacheTransaction"/>).</summary>
    Task<RedisReply> TransactionAsync(byte[][][] commands, TransactionCondition[] conditions, int database);

    /// <summary>The node-wide flush barrier.</summary>
    Task FlushToDiskAsync(TimeSpan timeout);

    /// <summary>The node's figures (<see cref="GetStats"/>).</summary>
    Task<NodeStats> GetStatsAsync();

    /// <summary>Releases what the transport holds (the remote client actor); the embedded one holds nothing.</summary>
    void Stop();
}
