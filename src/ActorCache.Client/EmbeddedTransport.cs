using ActorCache.Protocol;
using Akka.Actor;

namespace ActorCache.Client;

/// <summary>
/// A node in the same ActorSystem: each request goes straight to the keyspace actor of its database with a
/// <see cref="ReplyPromise{T}"/> as sender, so a call costs one message each way, no temporary actor, no dictionary.
/// </summary>
internal sealed class EmbeddedTransport(ActorSystem system, IActorRef node, IActorRef[] keyspaces) : ICacheTransport
{
    private readonly IActorRefProvider _provider = ((ExtendedActorSystem)system).Provider;

    public Task<T> Send<T>(byte[][] arguments, int database, Func<RedisReply, T> read)
    {
        var promise = new ReplyPromise<T>(_provider, read);
        // An out-of-range database goes through the node, which answers with Redis's error.
        var target = (uint)database < (uint)keyspaces.Length ? keyspaces[database] : node;
        target.Tell(new CacheRequest(0, database, arguments), promise);
        return promise.Task;
    }

    /// <summary>Long enough for sixteen keyspaces to answer even on a busy node; a rare call, so a plain Ask.</summary>
    private static readonly TimeSpan StatsTimeout = TimeSpan.FromSeconds(10);

    public Task FlushToDiskAsync(TimeSpan timeout) => node.Ask<FlushedToDisk>(FlushToDisk.Instance, timeout);

    public Task<NodeStats> GetStatsAsync() => node.Ask<NodeStats>(GetStats.Instance, StatsTimeout);

    public void Stop()
    {
    }
}
