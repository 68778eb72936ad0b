using Akka.Event;
using Akka.Actor;
using ActorCache.DiskIo;

namespace ActorCache.Keyspace;

// The IO queue: loads go first (a client is waiting), saves go once their flush delay has passed, at most
// max-in-flight keys are at the DiskIoActor at a time, and a save carries the key's value at dispatch time.
internal sealed partial class KeyspaceActor
{
    private readonly Queue<CacheKey> _loadQueue = new();
    private readonly PriorityQueue<CacheKey, long> _saveQueue = new();
    private int _jobsInFlight;
    private int _queuedSaves;
    private int _savesInFlight;
    private long _epoch;
    private long _saveTickDueAt = long.MaxValue;

    private static long MonotonicNow => Environment.TickCount64;

    /// <summary>A barrier waits, or memory is over the limit with nothing clean to evict: saves do not wait for their delay.</summary>
    private bool SavesGoAtOnce => FlushBarrierActive || _savesUrgent;

    /// <summary>Called by <see cref="Database"/> on every write: one queued save per key, however many writes.</summary>
    private void MarkDirty(CacheKey key)
    {
        var state = IoState(key);
        state.Version++;
        _transactionWrites?.Add(key);
        if (state.Has(KeyIoFlags.SaveQueued)) return;
        state.Flags |= KeyIoFlags.SaveQueued;
        _queuedSaves++;
        state.QueuedGeneration = _flushGeneration;
        CountPendingSave(state.QueuedGeneration, +1);
        EnqueueSave(key, state, MonotonicNow + (long)_settings.CacheFlushDelay.TotalMilliseconds);
    }

    private void EnqueueSave(CacheKey key, KeyIoState state, long dueAt)
    {
        state.SaveDueAt = dueAt;
        _saveQueue.Enqueue(key, dueAt);
    }

    private void ScheduleLoad(CacheKey key)
    {
        var state = IoState(key);
        if (state.Has(KeyIoFlags.Loading)) return;
        state.Flags |= KeyIoFlags.LoadQueued;
        _loadQueue.Enqueue(key);
    }

    /// <summary>Dispatches whatever the queue allows now and arms the timer for the next due save.</summary>
    private void Pump()
    {
        if (MemoryTrackingNeeded) TrackMemory();
        DispatchLoads();
        DispatchSaves(MonotonicNow);
        ArmSaveTimer();
        ForgetFinishedRequests();
        CheckFlushBarrier();
        ProgressSnapshotHold();
    }

    private void DispatchLoads()
    {
        // Loads wait while a FLUSHDB delete is unconfirmed, so a failed delete can never let old values back in.
        while (_loadQueue.Count > 0 && _jobsInFlight < _settings.MaxInFlight && !_databaseDeleteNeeded)
        {
            var size = Math.Min(_loadQueue.Count, Math.Min(_settings.LoadBatchSize, _settings.MaxInFlight - _jobsInFlight));
            var keys = new byte[size][];
            for (var i = 0; i < size; i++)
            {
                var key = _loadQueue.Dequeue();
                var state = _io[key];
                state.Flags = (state.Flags & ~KeyIoFlags.LoadQueued) | KeyIoFlags.LoadInFlight;
                keys[i] = key.Bytes;
            }

            _jobsInFlight += size;
            CountDiskLoads(size);
            _diskIo.Tell(new LoadJob(_databaseIndex, _epoch, keys));
        }
    }

    private void DispatchSaves(long now)
    {
        // Saves wait for an unconfirmed FLUSHDB delete too: a retried delete must not erase what was written after it.
        // During a snapshot hold nothing newer than the hold may reach the disk.
        if (_databaseDeleteNeeded || SavesHeld) return;
        List<(CacheKey Key, long DueAt)>? heldBack = null;
        while (_jobsInFlight < _settings.MaxInFlight && _saveQueue.TryPeek(out _, out var headDue) && (SavesGoAtOnce || headDue <= now))
        {
            var batch = new List<SaveItem>(Math.Min(_settings.SaveBatchSize, _queuedSaves));
            while (batch.Count < _settings.SaveBatchSize && _jobsInFlight + batch.Count < _settings.MaxInFlight
                   && _saveQueue.TryPeek(out var key, out var dueAt))
            {
                if (!SavesGoAtOnce && dueAt > now) break;
                _saveQueue.Dequeue();
                if (!_io.TryGetValue(key, out var state) || !state.Has(KeyIoFlags.SaveQueued) || state.SaveDueAt != dueAt) continue;
                if (dueAt > now && state.RetryNotBefore > now)
                {
                    // Under a barrier or memory pressure saves go early, but a failing key still keeps its backoff.
                    (heldBack ??= []).Add((key, dueAt));
                    continue;
                }

                if (state.Has(KeyIoFlags.SaveInFlight))
                {
                    state.SaveWaitsForInFlight = true;
                    continue;
                }

                if (state.SaveGroup is { } group)
                {
                    DispatchSaveGroup(group, now);
                    continue;
                }

                batch.Add(TakeForSave(key, state));
            }

            if (batch.Count == 0) break;
            _jobsInFlight += batch.Count;
            _diskIo.Tell(new SaveJob(_databaseIndex, batch.ToArray()));
        }

        if (heldBack is null) return;
        foreach (var (key, dueAt) in heldBack) _saveQueue.Enqueue(key, dueAt);
    }

    /// <summary>Moves a queued save in flight: the save carries the key's value now, or a delete if it is gone.</summary>
    private SaveItem TakeForSave(CacheKey key, KeyIoState state)
    {
        state.Flags = (state.Flags & ~KeyIoFlags.SaveQueued) | KeyIoFlags.SaveInFlight;
        state.InFlightGeneration = state.QueuedGeneration;
        _queuedSaves--;
        _savesInFlight++;
        var entry = _db.Peek(key);
        return new SaveItem(key.Bytes, entry?.Value, entry?.ExpireAtMs ?? 0);
    }

    /// <summary>
    /// A transaction's keys go to the disk in one atomic job, all at once or not yet. While a member's previous save
    /// is in flight or its retry backoff runs, the group waits: that member's own queue entry brings it back.
    /// </summary>
    private void DispatchSaveGroup(SaveGroup group, long now)
    {
        foreach (var member in group.Members)
        {
            var state = _io[member];
            if (state.Has(KeyIoFlags.SaveInFlight))
            {
                state.SaveWaitsForInFlight = true;
                return;
            }

            if (state.RetryNotBefore > now) return;
        }

        var items = new SaveItem[group.Members.Count];
        var i = 0;
        foreach (var member in group.Members)
        {
            var state = _io[member];
            state.SaveGroup = null;
            items[i++] = TakeForSave(member, state);
        }

        _jobsInFlight += items.Length;
        _diskIo.Tell(new SaveJob(_databaseIndex, items) { Atomic = true });
    }

    private void ArmSaveTimer()
    {
        // With the IO queue full or a FLUSHDB delete pending, the completion that frees it pumps again: no timer needed.
        if (_jobsInFlight >= _settings.MaxInFlight || _databaseDeleteNeeded || SavesHeld || !_saveQueue.TryPeek(out _, out var dueAt)) return;

        if (dueAt >= _saveTickDueAt && Timers.IsTimerActive("save")) return;
        _saveTickDueAt = dueAt;
        var delay = TimeSpan.FromMilliseconds(Math.Max(1, dueAt - MonotonicNow));
        Timers.StartSingleTimer("save", SaveTick.Instance, delay);
    }

    private void HandleSaveTick(SaveTick tick)
    {
        _saveTickDueAt = long.MaxValue;
        Pump();
    }
}
