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
    long NegativeCacheHits,
    long LongestEvictionSliceMicros,
    long LongestEvictionSliceWithoutGcMicros) : INoSerializationVerificationNeeded;

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

/// <summary>
/// WATCH from a front end that keeps connection state (RESP): <see cref="Request"/> is <c>WATCH key...</c>. Once the
/// keys are loaded (an expired one is deleted first, which is a change), the keyspace counts a watcher on each, keeps
/// them in memory, and answers a <see cref="ActorCache.Protocol.CacheReply"/> with each key's version as an integer
/// array. The watcher must later release the keys with <see cref="UnwatchKeys"/> or an <see cref="ExecTransaction"/>.
/// </summary>
internal sealed record WatchKeys(ActorCache.Protocol.CacheRequest Request) : INoSerializationVerificationNeeded;

/// <summary>
/// Releases watches taken with <see cref="WatchKeys"/>; <see cref="Request"/> is <c>UNWATCH key...</c>. Answered with
/// OK. It keeps per-key order, so it never overtakes the WATCH it releases.
/// </summary>
internal sealed record UnwatchKeys(ActorCache.Protocol.CacheRequest Request) : INoSerializationVerificationNeeded;

/// <summary>A watched key and the version <see cref="WatchKeys"/> gave it.</summary>
internal readonly record struct KeyVersion(byte[] Key, long Version);

/// <summary>
/// EXEC from a front end with watches: runs <see cref="Transaction"/> unless a key of <see cref="Watched"/> changed
/// since its WATCH (then the reply is a nil array). Either way the watches are released.
/// </summary>
internal sealed record ExecTransaction(ActorCache.Protocol.CacheTransaction Transaction, KeyVersion[] Watched) : INoSerializationVerificationNeeded;

/// <summary>
/// The first half of a snapshot's point-in-time barrier: the keyspace sends what its dirty keys hold now to the disk,
/// then sends nothing more (no save, no FLUSHDB) until <see cref="ReleaseSnapshotHold"/>, and answers
/// <see cref="SavesHeldForSnapshot"/> once the disk holds exactly its dataset as of this message.
/// </summary>
internal sealed record HoldSavesForSnapshot(long Token) : INoSerializationVerificationNeeded;

/// <summary>The disk holds the keyspace's data as of the hold (<see cref="Error"/> null), or why it could not.</summary>
internal sealed record SavesHeldForSnapshot(long Token, int Database, string? Error) : INoSerializationVerificationNeeded;

/// <summary>The snapshot is taken (or abandoned): saves go on.</summary>
internal sealed record ReleaseSnapshotHold(long Token) : INoSerializationVerificationNeeded;

/// <summary>Time to answer the requests that have waited longer than request-timeout.</summary>
internal sealed class RequestTimeoutTick : INoSerializationVerificationNeeded, IDeadLetterSuppression
{
    public static readonly RequestTimeoutTick Instance = new();

    private RequestTimeoutTick()
    {
    }
}
