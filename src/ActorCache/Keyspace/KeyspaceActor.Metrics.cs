using ActorCache.Node;
using Akka.Actor;
using Akka.Event;

namespace ActorCache.Keyspace;

// Observability (the ActorCache meter, INFO, GetStats). Counters are added to here, by the owner of the state, as
// things happen; the gauges read a KeyspaceStats snapshot this keyspace publishes into its node's MetricsBoard on a
// timer, so no other thread ever reads the keyspace's dictionaries. With no listener attached a counter's Add costs a
// check of its subscriptions, and the tag is made once, so the hot path allocates nothing for metrics.
internal sealed partial class KeyspaceActor
{
    /// <summary>How stale a gauge may be: often enough for a dashboard, rare enough to cost nothing (one small record per second).</summary>
    private static readonly TimeSpan MetricsInterval = TimeSpan.FromSeconds(1);

    private readonly MetricsBoard _board;
    private readonly KeyValuePair<string, object?> _dbTag;
    private long _hits;
    private long _misses;
    private long _negativeCacheHits;

    private void StartMetrics()
    {
        PublishMetrics();
        Timers.StartPeriodicTimer("metrics", MetricsTick.Instance, MetricsInterval);
    }

    private void HandleMetricsTick(MetricsTick tick) => PublishMetrics();

    private void PublishMetrics() => _board.Publish(_databaseIndex, Stats());

    /// <summary>
    /// Hits and misses, once per request as it arrives, for each key its command needs to read: in memory is a hit;
    /// anything else is a miss, answered either from what the keyspace knows (the negative cache: also counted as a
    /// negative-cache hit) or by a load from disk. A blind write (SET without NX/XX/GET) reads nothing and counts
    /// nothing; every other command that names keys counts, writes such as INCR or DEL included, since a key they need
    /// that is not in memory costs a load just as a GET's does. A request queued behind a whole-database command is
    /// counted on arrival too, by the state its keys had then. Returns true when every key was in memory (the caller
    /// then need not look again); false for a blind write, which looks at nothing.
    /// </summary>
    private bool CountLookups(CacheKey[] keys, bool isBlindWrite)
    {
        if (isBlindWrite) return false;
        var allInMemory = true;
        foreach (var key in keys)
        {
            if (_db.Contains(key))
            {
                _hits++;
                CacheMetrics.Hits.Add(1, _dbTag);
                continue;
            }

            allInMemory = false;
            _misses++;
            CacheMetrics.Misses.Add(1, _dbTag);
            if (!_db.NegativeCache.Contains(key)) continue;
            _negativeCacheHits++;
            CacheMetrics.NegativeCacheHits.Add(1, _dbTag);
        }

        return allInMemory;
    }

    private void CountDiskLoads(int keys)
    {
        _diskLoads += keys;
        CacheMetrics.DiskLoads.Add(keys, _dbTag);
    }

    private void CountSave()
    {
        _savesCompleted++;
        CacheMetrics.DiskSaves.Add(1, _dbTag);
    }

    private void CountSaveFailure()
    {
        _saveFailures++;
        CacheMetrics.DiskSaveFailures.Add(1, _dbTag);
    }

    private void CountEviction()
    {
        _evictedKeys++;
        CacheMetrics.Evictions.Add(1, _dbTag);
    }
}

/// <summary>Time to publish this keyspace's figures for the gauges.</summary>
internal sealed class MetricsTick : INoSerializationVerificationNeeded, IDeadLetterSuppression
{
    public static readonly MetricsTick Instance = new();

    private MetricsTick()
    {
    }
}
