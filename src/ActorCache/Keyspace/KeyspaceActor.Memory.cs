using System.Diagnostics;
using ActorCache.Commands;
using ActorCache.Protocol;

namespace ActorCache.Keyspace;

// The memory limit (cache-max-memory, DESIGN.md section 2 "Memory"). The node has one budget; each keyspace publishes
// its own exact estimate into it and, while the node is over the limit, evicts its least recently used clean keys
// (approximate LRU over cache-eviction-samples random keys). A key with IO state (dirty, saving, loading, requests
// waiting) is never evicted. When nothing can be evicted, queued saves go at once (they make keys clean) and writes
// wait, parked in their keys' queues like a request waiting for a load, so per-key order holds; a write that waits
// longer than max-write-wait fails with an OOM error. Reads never wait for memory.
//
// With cache-max-memory 0 all of this costs one read of the limit per request and per pump.
internal sealed partial class KeyspaceActor
{
    /// <summary>
    /// Entries sampled per slice of eviction work: well under a millisecond, so a keyspace never pauses long however
    /// many keys it has; more work goes on in a later message.
    /// </summary>
    private const int MaxEvictionStepsPerSlice = 4096;

    /// <summary>Waiting writes released per slice, for the same reason as <see cref="MaxEvictionStepsPerSlice"/>.</summary>
    private const int MaxReleasesPerSlice = 1000;

    /// <summary>How often a keyspace with waiting writes looks for memory again and fails writes that waited too long.</summary>
    private static readonly TimeSpan MemoryWaitInterval = TimeSpan.FromMilliseconds(10);

    private static readonly RedisReply OutOfMemory = RedisReply.Error("OOM command not allowed when used memory > 'cache-max-memory'.");

    private readonly MemoryBudget _budget;
    // Writes waiting for memory, by arrival: each is at the head of all its keys' queues.
    private readonly SortedDictionary<long, PendingRequest> _memoryWaiters = new();
    private long _publishedBytes;
    private long _evictedKeys;
    // The longest one slice of eviction work has taken, the pause the slicing bounds (INFO's eviction_longest_slice_us),
    // and the longest among slices no garbage collection ran in: the eviction work alone, without GC pauses that stop
    // every thread of the process (eviction_longest_slice_without_gc_us).
    private long _longestEvictionSliceMicros;
    private long _longestEvictionSliceWithoutGcMicros;
    private long _admissions;
    private bool _savesUrgent;
    private bool _releasingMemoryWaiters;
    private bool _memoryWorkScheduled;

    private bool MemoryTrackingNeeded => _budget.Limit > 0 || _memoryWaiters.Count > 0 || _savesUrgent;

    /// <summary>
    /// True when <paramref name="command"/> may run now as far as memory goes: it is not a write, or no limit is set
    /// and no write waits, or no earlier write waits for memory and eviction brings the node under the limit.
    /// Called before the command's keys are checked, so an eviction here cannot take a key the command is about to use.
    /// </summary>
    private bool HasRoomFor(CommandSpec command)
    {
        if ((command.Flags & CommandFlags.Write) == 0) return true;
        if (_budget.Limit == 0 && _memoryWaiters.Count == 0) return true;
        return _memoryWaiters.Count == 0 && MakeRoom();
    }

    /// <summary>For a queued request at the head of all its keys: false (and it waits for memory) if it is a write that may not run yet.</summary>
    private bool HasRoomFor(PendingRequest pending)
    {
        if (_budget.Limit == 0 || !pending.IsWrite || MakeRoom()) return true;
        if (pending.WaitingForMemorySince == 0) pending.WaitingForMemorySince = MonotonicNow;
        if (_memoryWaiters.TryAdd(pending.Sequence, pending) && !Timers.IsTimerActive("memory-wait"))
        {
            Timers.StartPeriodicTimer("memory-wait", MemoryWaitTick.Instance, MemoryWaitInterval);
        }

        return false;
    }

    /// <summary>Publishes this keyspace's estimate and evicts while the node is over the limit; true when it is not (any more).</summary>
    private bool MakeRoom()
    {
        PublishMemory();
        if (_budget.IsOver) EvictSlice();
        return !_budget.IsOver;
    }

    /// <summary>Part of every pump: keeps the budget current, evicts, and lets waiting writes run once there is room.</summary>
    private void TrackMemory()
    {
        if (!MemoryTrackingNeeded) return;
        if (_budget.Limit > 0) MakeRoom();
        if (!_budget.IsOver) _savesUrgent = false;
        ReleaseMemoryWaiters();
    }

    private void PublishMemory()
    {
        var used = _db.UsedBytes;
        if (used == _publishedBytes || _budget.Limit == 0) return;
        _budget.Add(used - _publishedBytes);
        _publishedBytes = used;
    }

    /// <summary>
    /// Evicts clean keys while the node is over the limit, a bounded slice of work at a time (then other messages get
    /// in and the work goes on with a message to itself). When no clean key is left, saves go at once instead of after
    /// cache-flush-delay, so that keys become clean.
    /// </summary>
    private void EvictSlice()
    {
        var started = Stopwatch.GetTimestamp();
        var collections = GC.CollectionCount(0);
        try
        {
            EvictSliceUntimed();
        }
        finally
        {
            var micros = (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            _longestEvictionSliceMicros = Math.Max(_longestEvictionSliceMicros, micros);
            if (GC.CollectionCount(0) == collections) _longestEvictionSliceWithoutGcMicros = Math.Max(_longestEvictionSliceWithoutGcMicros, micros);
        }
    }

    private void EvictSliceUntimed()
    {
        var steps = 0;
        while (_budget.IsOver)
        {
            if (_db.EvictableCount == 0)
            {
                _savesUrgent = true;
                return;
            }

            if (steps >= MaxEvictionStepsPerSlice)
            {
                ScheduleMemoryWork();
                return;
            }

            var victim = FindVictim(ref steps);
            _db.Evict(victim.Key);
            CountEviction();
            PublishMemory();
        }
    }

    /// <summary>
    /// Approximate LRU: of a few random evictable entries (in memory, without IO state), the least recently used.
    /// Sampling only evictable entries finds a victim in O(1) even when almost every key in memory is dirty.
    /// </summary>
    private Entry FindVictim(ref int steps)
    {
        var victim = _db.SampleEvictable(Random.Shared);
        for (var i = 1; i < _settings.CacheEvictionSamples && _db.EvictableCount > 1; i++)
        {
            steps++;
            var candidate = _db.SampleEvictable(Random.Shared);
            if (candidate.LastAccess < victim.LastAccess) victim = candidate;
        }

        steps++;
        return victim;
    }

    /// <summary>Lets the writes waiting for memory run in arrival order while there is room, a slice at a time.</summary>
    private void ReleaseMemoryWaiters()
    {
        if (_releasingMemoryWaiters || _memoryWaiters.Count == 0) return;
        _releasingMemoryWaiters = true;
        try
        {
            for (var released = 0; _memoryWaiters.Count > 0; released++)
            {
                if (released == MaxReleasesPerSlice)
                {
                    ScheduleMemoryWork();
                    break;
                }

                if (_budget.Limit > 0 && !MakeRoom()) break;
                var (sequence, head) = _memoryWaiters.First();
                _memoryWaiters.Remove(sequence);
                // Runs it if it is still at the head of its keys and there is room; otherwise it waits again.
                AdvanceKeys(head.Keys);
            }
        }
        finally
        {
            _releasingMemoryWaiters = false;
        }

        if (_memoryWaiters.Count == 0) Timers.Cancel("memory-wait");
    }

    private void ScheduleMemoryWork()
    {
        if (_memoryWorkScheduled) return;
        _memoryWorkScheduled = true;
        Self.Tell(ContinueMemoryWork.Instance, Self);
    }

    private void HandleContinueMemoryWork(ContinueMemoryWork work)
    {
        _memoryWorkScheduled = false;
        Pump();
    }

    /// <summary>
    /// Another keyspace is over the limit with nothing it can evict: free what this one can. Memory is node-wide, so
    /// clean keys here make room for writes there.
    /// </summary>
    private void HandleEvictForMemory(EvictForMemory request)
    {
        if (_budget.Limit > 0) MakeRoom();
    }

    /// <summary>
    /// While writes wait: try again (memory may have been freed by another keyspace), ask the other keyspaces to evict
    /// if this one cannot, and fail the writes that have waited longer than max-write-wait.
    /// </summary>
    private void HandleMemoryWaitTick(MemoryWaitTick tick)
    {
        Pump();
        if (_memoryWaiters.Count == 0) return;
        if (_budget.IsOver) _budget.AskOthersToEvict(Self);
        FailWritesWaitingTooLong();
    }

    private void FailWritesWaitingTooLong()
    {
        var oldestAllowed = MonotonicNow - (long)_settings.MaxWriteWait.TotalMilliseconds;
        // Failing a write lets the next request on its keys reach the head; a write there that waited as long fails too.
        while (_memoryWaiters.Values.FirstOrDefault(w => w.WaitingForMemorySince <= oldestAllowed) is { } expired)
        {
            _memoryWaiters.Remove(expired.Sequence);
            if (!expired.Keys.All(key => _io.TryGetValue(key, out var state) && ReferenceEquals(state.Waiting?.First?.Value, expired))) continue;
            foreach (var key in expired.Keys) _io[key].Waiting!.RemoveFirst();
            _waitingRequests--;
            expired.Reply(OutOfMemory);
            AdvanceKeys(expired.Keys);
            foreach (var key in expired.Keys)
            {
                if (_io.TryGetValue(key, out var state)) ForgetIfIdle(key, state);
            }
        }

        if (_memoryWaiters.Count == 0) Timers.Cancel("memory-wait");
        Pump();
    }

    /// <summary>The estimate leaves the budget with the keyspace.</summary>
    private void ReturnMemory()
    {
        _budget.Add(-_publishedBytes);
        _publishedBytes = 0;
    }
}
