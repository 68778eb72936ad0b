using ActorCache.Protocol;
using Akka.Actor;

namespace ActorCache.Client;

/// <summary>
/// A node in the same ActorSystem: each request goes straight to the keyspace actor of its database with a
/// <see cref="ReplyPromise{T}"/> as sender, so a call costs one message each way, no temporary actor, and a link in
/// <see cref="RequestDeadlines"/> so that no call waits longer than the request timeout.
/// </summary>
internal sealed class EmbeddedTransport(ActorSystem system, IActorRef node, IActorRef[] keyspaces, TimeSpan requestTimeout) : ICacheTransport
{
    private static readonly byte[] ExecName = "EXEC"u8.ToArray();
    private readonly IActorRefProvider _provider = ((ExtendedActorSystem)system).Provider;
    private readonly RequestDeadlines _deadlines = new(requestTimeout);

    public Task<T> Send<T>(byte[][] arguments, int database, Func<RedisReply, T> read)
    {
        var promise = new ReplyPromise<T>(_provider, read, arguments.Length > 0 ? arguments[0] : null, database);
        _deadlines.Track(promise);
        // An out-of-range database goes through the node, which answers with Redis's error.
        var target = (uint)database < (uint)keyspaces.Length ? keyspaces[database] : node;
        target.Tell(new CacheRequest(0, database, arguments), promise);
        return promise.Task;
    }

    public Task<RedisReply> TransactionAsync(byte[][][] commands, TransactionCondition[] conditions, int database)
    {
        // The node routes single requests only: a transaction goes to its keyspace, so a bad database is answered here.
        if ((uint)database >= (uint)keyspaces.Length) return Task.FromResult(TransactionReplies.DatabaseOutOfRange);
        var promise = new ReplyPromise<RedisReply>(_provider, static reply => reply, ExecName, database);
        _deadlines.Track(promise);
        keyspaces[database].Tell(new CacheTransaction(0, database, commands, conditions), promise);
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
