using Akka.Actor;

namespace ActorCache.Protocol;

/// <summary>
/// Runs one command against database <see cref="Database"/>. <see cref="Arguments"/> are the command name followed
/// by its arguments, exactly as a Redis client sends them. The node answers the sender with a <see cref="CacheReply"/>
/// carrying the same <see cref="CorrelationId"/>, so a client can keep many requests in flight without one temporary
/// actor per request.
/// </summary>
public sealed record CacheRequest(long CorrelationId, int Database, byte[][] Arguments)
{
    /// <summary>Compares the arguments' contents, not the arrays' identity.</summary>
    public bool Equals(CacheRequest? other) =>
        other is not null && CorrelationId == other.CorrelationId && Database == other.Database
        && Arguments.Length == other.Arguments.Length
        && Arguments.Zip(other.Arguments).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(CorrelationId, Database, Arguments.Length);
}

/// <summary>The answer to the <see cref="CacheRequest"/> with the same <see cref="CorrelationId"/>.</summary>
public sealed record CacheReply(long CorrelationId, RedisReply Reply);

/// <summary>Asks the node for the actors that own each database, so clients can address them directly.</summary>
public sealed class GetKeyspaces
{
    /// <summary>The single instance.</summary>
    public static readonly GetKeyspaces Instance = new();

    private GetKeyspaces()
    {
    }
}

/// <summary>The reply to <see cref="GetKeyspaces"/>: the keyspace actor of database i at index i.</summary>
public sealed record KeyspaceDirectory(IReadOnlyList<IActorRef> Keyspaces);

/// <summary>
/// A barrier: the node answers <see cref="FlushedToDisk"/> once everything written before it is on disk
/// (every queued save dispatched at once and completed).
/// </summary>
public sealed class FlushToDisk
{
    /// <summary>The single instance.</summary>
    public static readonly FlushToDisk Instance = new();

    private FlushToDisk()
    {
    }
}

/// <summary>The answer to <see cref="FlushToDisk"/>.</summary>
public sealed class FlushedToDisk
{
    /// <summary>The single instance.</summary>
    public static readonly FlushedToDisk Instance = new();

    private FlushedToDisk()
    {
    }
}

/// <summary>Asks the node for its figures; the node answers <see cref="NodeStats"/>.</summary>
public sealed class GetStats
{
    /// <summary>The single instance.</summary>
    public static readonly GetStats Instance = new();

    private GetStats()
    {
    }
}

/// <summary>
/// The answer to <see cref="GetStats"/>: the node's memory limit and the figures of each of its databases (index =
/// database number), gathered from every keyspace at about the same moment. Totals are sums over the databases.
/// </summary>
/// <param name="MaxMemory">cache-max-memory in bytes; 0 = unbounded.</param>
/// <param name="Databases">One entry per database, database i at index i.</param>
public sealed record NodeStats(long MaxMemory, IReadOnlyList<DatabaseStats> Databases)
{
    /// <summary>Estimated bytes in memory, all databases.</summary>
    public long UsedMemory => Databases.Sum(d => d.UsedMemory);

    /// <summary>Keys in memory, all databases.</summary>
    public long KeysInMemory => Databases.Sum(d => d.KeysInMemory);

    /// <summary>Keys needed by commands that were in memory, all databases.</summary>
    public long Hits => Databases.Sum(d => d.Hits);

    /// <summary>Keys needed by commands that were not in memory, all databases.</summary>
    public long Misses => Databases.Sum(d => d.Misses);

    /// <summary>Misses the negative cache answered, all databases.</summary>
    public long NegativeCacheHits => Databases.Sum(d => d.NegativeCacheHits);

    /// <summary>Keys loaded from disk, all databases.</summary>
    public long DiskLoads => Databases.Sum(d => d.DiskLoads);

    /// <summary>Keys saved to disk, all databases.</summary>
    public long DiskSaves => Databases.Sum(d => d.DiskSaves);

    /// <summary>Failed key saves (retried), all databases.</summary>
    public long DiskSaveFailures => Databases.Sum(d => d.DiskSaveFailures);

    /// <summary>Keys evicted for the memory limit, all databases.</summary>
    public long EvictedKeys => Databases.Sum(d => d.EvictedKeys);

    /// <summary>Dirty keys (save queued or in flight), all databases.</summary>
    public long DirtyKeys => Databases.Sum(d => d.DirtyKeys);

    /// <summary>Compares the databases' figures, not the lists' identity.</summary>
    public bool Equals(NodeStats? other) =>
        other is not null && MaxMemory == other.MaxMemory && Databases.SequenceEqual(other.Databases);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(MaxMemory, Databases.Count);
}

/// <summary>One database's figures in <see cref="NodeStats"/>: counts since the node started, and the state now.</summary>
/// <param name="KeysInMemory">Keys in memory (DBSIZE also counts those only on disk).</param>
/// <param name="UsedMemory">Estimated bytes of this database's keys, values and entry overhead.</param>
/// <param name="Hits">Keys commands needed that were in memory when they arrived.</param>
/// <param name="Misses">Keys commands needed that were not in memory (known absent, or loaded).</param>
/// <param name="NegativeCacheHits">Misses answered by the negative cache, without the disk.</param>
/// <param name="DiskLoads">Keys sent to the disk to be loaded.</param>
/// <param name="DiskSaves">Keys saved (written or deleted) on disk.</param>
/// <param name="DiskSaveFailures">Key saves that failed (the key stays dirty and is saved again).</param>
/// <param name="EvictedKeys">Clean keys dropped to stay under cache-max-memory.</param>
/// <param name="DirtyKeys">Keys whose save is queued or in flight.</param>
/// <param name="IoQueueLength">Loads and saves queued, not yet at the disk.</param>
/// <param name="JobsInFlight">Keys at the disk being loaded or saved.</param>
/// <param name="ParkedRequests">Requests waiting for a load or for memory.</param>
/// <param name="NegativeCacheEntries">Keys known to be absent.</param>
public sealed record DatabaseStats(
    long KeysInMemory,
    long UsedMemory,
    long Hits,
    long Misses,
    long NegativeCacheHits,
    long DiskLoads,
    long DiskSaves,
    long DiskSaveFailures,
    long EvictedKeys,
    long DirtyKeys,
    long IoQueueLength,
    long JobsInFlight,
    long ParkedRequests,
    long NegativeCacheEntries);
