using ActorCache.Protocol;
using Akka.Actor;
using Akka.Event;

namespace ActorCache.Keyspace;

/// <summary>Time to dispatch the saves whose flush delay (or retry backoff) has passed.</summary>
internal sealed class SaveTick : INoSerializationVerificationNeeded, IDeadLetterSuppression
{
    public static readonly SaveTick Instance = new();

    private SaveTick()
    {
    }
}

/// <summary>Time for a round of active expiry.</summary>
internal sealed class ActiveExpireTick : INoSerializationVerificationNeeded, IDeadLetterSuppression
{
    public static readonly ActiveExpireTick Instance = new();

    private ActiveExpireTick()
    {
    }
}

/// <summary>Time to send again a FLUSHDB delete that failed on disk.</summary>
internal sealed class RetryDeleteDatabase : INoSerializationVerificationNeeded, IDeadLetterSuppression
{
    public static readonly RetryDeleteDatabase Instance = new();

    private RetryDeleteDatabase()
    {
    }
}

/// <summary>
/// A snapshot of a keyspace's IO state and its running totals (loads, saves, evictions, hits and misses counted as
/// <c>KeyspaceActor.CountLookups</c> says), for tests, INFO, GetStats and the gauges of the ActorCache meter.
/// </summary>
internal sealed record KeyspaceStats(
    int KeysInMemory,
    int DirtyKeys,
    int JobsInFlight,
    int QueuedLoads,
    int ParkedRequests,
    int NegativeCacheEntries,
    long DiskLoads,
    long SavesCompleted,
    long SaveFailures,
    int TrackedKeys,
    int QueuedSaves,
    int SavesInFlight,
    int KeysWithExpiry,
    long UsedMemory,
    long EvictedKeys,
    int WritesWaiting,
    long Hits,
    long Misses,
    long NegativeCacheHits) : INoSerializationVerificationNeeded;

/// <summary>Asks a keyspace for its <see cref="KeyspaceStats"/>.</summary>
internal sealed class GetKeyspaceStats : INoSerializationVerificationNeeded
{
    public static readonly GetKeyspaceStats Instance = new();

    private GetKeyspaceStats()
    {
    }
}

/// <summary>A keyspace asks the node to empty every database (FLUSHALL); the node answers <see cref="AllDatabasesFlushed"/>.</summary>
internal sealed record FlushAllDatabases(long Token) : INoSerializationVerificationNeeded;

/// <summary>Every database is empty in memory, and its disk delete is on its way.</summary>
internal sealed record AllDatabasesFlushed(long Token) : INoSerializationVerificationNeeded;

/// <summary>The node tells each keyspace to empty its database now, whatever it is doing (part of a FLUSHALL).</summary>
internal sealed class FlushDatabaseNow : INoSerializationVerificationNeeded
{
    public static readonly FlushDatabaseNow Instance = new();

    private FlushDatabaseNow()
    {
    }
}

/// <summary>The answer to <see cref="FlushDatabaseNow"/>.</summary>
internal sealed class DatabaseFlushed : INoSerializationVerificationNeeded
{
    public static readonly DatabaseFlushed Instance = new();

    private DatabaseFlushed()
    {
    }
}

/// <summary>
/// Graceful stop: the keyspace refuses requests from now on (so nothing is acknowledged that could miss the disk)
/// and answers <see cref="ActorCache.Protocol.FlushedToDisk"/> once everything it accepted is on disk.
/// </summary>
internal sealed class PrepareToStop : INoSerializationVerificationNeeded
{
    public static readonly PrepareToStop Instance = new();

    private PrepareToStop()
    {
    }
}

/// <summary>
/// Several requests from one sender, in order, as one message: a front end that has parsed a pipeline hands it over in
/// one mailbox hop. Each request is answered on its own, exactly as if it had come alone.
/// </summary>
internal sealed record CacheRequestBatch(CacheRequest[] Requests) : INoSerializationVerificationNeeded;

/// <summary>Drops from memory every key that is clean and idle (DEBUG FLUSHCACHE after a flush barrier); dirty keys stay.</summary>
internal sealed class EvictCleanKeys : INoSerializationVerificationNeeded
{
    public static readonly EvictCleanKeys Instance = new();

    private EvictCleanKeys()
    {
    }
}

/// <summary>The answer to <see cref="EvictCleanKeys"/>: how many keys left memory and how many stayed because they are busy.</summary>
internal sealed record CleanKeysEvicted(int Evicted, int Kept) : INoSerializationVerificationNeeded;

/// <summary>New settings to run with from now on (CONFIG SET); the keyspace applies what can change at run time.</summary>
internal sealed record ChangeSettings(Settings.CacheSettings Settings) : INoSerializationVerificationNeeded;

/// <summary>Go on with memory work (eviction, releasing waiting writes) that was cut into slices.</summary>
internal sealed class ContinueMemoryWork : INoSerializationVerificationNeeded, IDeadLetterSuppression
{
    public static readonly ContinueMemoryWork Instance = new();

    private ContinueMemoryWork()
    {
    }
}

/// <summary>Time for a keyspace with writes waiting for memory to look again and fail those that waited too long.</summary>
internal sealed class MemoryWaitTick : INoSerializationVerificationNeeded, IDeadLetterSuppression
{
    public static readonly MemoryWaitTick Instance = new();

    private MemoryWaitTick()
    {
    }
}

/// <summary>Another keyspace is over the node's memory limit and has nothing to evict: evict clean keys here if over.</summary>
internal sealed class EvictForMemory : INoSerializationVerificationNeeded, IDeadLetterSuppression
{
    public static readonly EvictForMemory Instance = new();

    private EvictForMemory()
    {
    }
}
