using System.Diagnostics.Metrics;
using ActorCache.Keyspace;

namespace ActorCache.Node;

/// <summary>
/// The node's instruments on the one <see cref="Meter"/> named <c>ActorCache</c>, so that dotnet-counters
/// (<c>--counters ActorCache</c>) and OpenTelemetry (<c>AddMeter("ActorCache")</c>) read them with no code of ours.
/// Every instrument carries the tag <c>db</c> (the database index).
/// </summary>
/// <remarks>
/// Keyspaces own their state, so nothing here reads a keyspace's dictionaries. Counters are added to by the keyspace
/// actor itself as things happen (<see cref="Counter{T}.Add(T, KeyValuePair{string, object?})"/> is thread-safe and
/// costs next to nothing while no listener is attached). Gauges read the <see cref="KeyspaceStats"/> snapshot each
/// keyspace publishes into its node's <see cref="MetricsBoard"/> about once a second; a gauge is at most that stale.
/// The meter is static because it is process-wide by nature (a listener subscribes by name); several nodes in one
/// process each report their own databases.
/// </remarks>
internal static class CacheMetrics
{
    /// <summary>The meter's name, the one to give dotnet-counters or OpenTelemetry.</summary>
    public const string MeterName = "ActorCache";

    /// <summary>The tag that carries the database index.</summary>
    public const string DatabaseTag = "db";

    private static readonly object BoardsLock = new();
    private static MetricsBoard[] _boards = [];

    public static readonly Meter Meter = new(MeterName, typeof(CacheMetrics).Assembly.GetName().Version?.ToString());

    public static readonly Counter<long> Hits = Meter.CreateCounter<long>(
        "actorcache.keyspace.hits", "{key}", "Keys a command needed that were in memory when it arrived.");

    public static readonly Counter<long> Misses = Meter.CreateCounter<long>(
        "actorcache.keyspace.misses", "{key}", "Keys a command needed that were not in memory when it arrived (known absent, or loaded from disk).");

    public static readonly Counter<long> NegativeCacheHits = Meter.CreateCounter<long>(
        "actorcache.keyspace.negative_cache.hits", "{key}", "Misses answered by the negative cache, without reading the disk.");

    public static readonly Counter<long> DiskLoads = Meter.CreateCounter<long>(
        "actorcache.disk.loads", "{key}", "Keys sent to the disk to be loaded.");

    public static readonly Counter<long> DiskSaves = Meter.CreateCounter<long>(
        "actorcache.disk.saves", "{key}", "Keys saved (written or deleted) on disk.");

    public static readonly Counter<long> DiskSaveFailures = Meter.CreateCounter<long>(
        "actorcache.disk.save_failures", "{key}", "Key saves the disk failed; the key stays dirty and is saved again.");

    public static readonly Counter<long> Evictions = Meter.CreateCounter<long>(
        "actorcache.keyspace.evictions", "{key}", "Clean keys dropped from memory to stay under cache-max-memory.");

    static CacheMetrics()
    {
        Meter.CreateObservableGauge("actorcache.memory.used", () => Observe(static s => s.UsedMemory), "By",
            "Estimated bytes of keys, values and entry overhead in memory (the figure cache-max-memory bounds).");
        Meter.CreateObservableGauge("actorcache.keyspace.dirty_keys", () => Observe(static s => s.DirtyKeys), "{key}",
            "Keys changed in memory whose save is queued or in flight.");
        Meter.CreateObservableGauge("actorcache.io.queue.length", () => Observe(static s => s.QueuedLoads + s.QueuedSaves), "{job}",
            "Loads and saves queued, not yet sent to the disk.");
        Meter.CreateObservableGauge("actorcache.io.jobs_in_flight", () => Observe(static s => s.JobsInFlight), "{job}",
            "Keys at the disk being loaded or saved.");
        Meter.CreateObservableGauge("actorcache.keyspace.parked_requests", () => Observe(static s => s.ParkedRequests), "{request}",
            "Requests waiting for a load (or for memory) before they can run.");
    }

    /// <summary>The tag of database <paramref name="database"/>, made once per keyspace so that adding to a counter allocates nothing.</summary>
    public static KeyValuePair<string, object?> DatabaseTagOf(int database) => new(DatabaseTag, database);

    /// <summary>Makes a node's board visible to the gauges.</summary>
    public static void Register(MetricsBoard board)
    {
        lock (BoardsLock)
        {
            if (Array.IndexOf(_boards, board) < 0) Volatile.Write(ref _boards, [.. _boards, board]);
        }
    }

    /// <summary>A stopped node's databases leave the gauges.</summary>
    public static void Unregister(MetricsBoard board)
    {
        lock (BoardsLock)
        {
            Volatile.Write(ref _boards, _boards.Where(b => b != board).ToArray());
        }
    }

    // Runs on the listener's thread when it collects: reads only published, immutable snapshots.
    private static IEnumerable<Measurement<long>> Observe(Func<KeyspaceStats, long> figure)
    {
        foreach (var board in Volatile.Read(ref _boards))
        {
            for (var database = 0; database < board.Databases; database++)
            {
                if (board.Read(database) is { } stats) yield return new Measurement<long>(figure(stats), DatabaseTagOf(database));
            }
        }
    }
}

/// <summary>
/// The latest <see cref="KeyspaceStats"/> of each database of one node: written by the owning keyspace (a reference
/// swapped with a volatile write), read by the gauges from any thread. Snapshots are immutable records, so a reader
/// never sees half an update.
/// </summary>
internal sealed class MetricsBoard(int databases)
{
    private readonly KeyspaceStats?[] _snapshots = new KeyspaceStats?[databases];

    public int Databases => _snapshots.Length;

    public void Publish(int database, KeyspaceStats stats) => Volatile.Write(ref _snapshots[database], stats);

    public KeyspaceStats? Read(int database) => Volatile.Read(ref _snapshots[database]);
}
