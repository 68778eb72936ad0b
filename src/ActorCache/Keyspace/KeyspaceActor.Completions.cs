using ActorCache.DiskIo;
using ActorCache.Protocol;

namespace ActorCache.Keyspace;

// What the DiskIoActor reports back: loads fill memory or the negative cache and wake parked requests; saves clear
// their flags, unpin deletes that reached the disk, and failed ones are retried with backoff.
internal sealed partial class KeyspaceActor
{
    private long _diskLoads;
    private long _savesCompleted;
    private long _saveFailures;

    private void HandleLoadDone(LoadJobDone done)
    {
        _jobsInFlight -= done.Results.Length;
        var stale = done.Epoch != _epoch;
        var loaded = new List<CacheKey>(done.Results.Length);
        List<(CacheKey Key, string Error)>? failed = null;
        foreach (var result in done.Results)
        {
            var key = new CacheKey(result.Key);
            if (!_io.TryGetValue(key, out var state)) continue;
            state.Flags &= ~KeyIoFlags.LoadInFlight;

            if (result.Error is not null && !stale)
            {
                // Nothing is cached, so the next request for the key tries the disk again.
                (failed ??= []).Add((key, result.Error));
                continue;
            }

            var found = !stale && result.Value is not null;
            if (found && !_db.Contains(key))
            {
                if (Entry.IsExpired(result.ExpireAtMs, _db.NowMs))
                {
                    // Expired while only on disk: deleted like a DEL, so the disk forgets it too.
                    _db.NegativeCache.Pin(key);
                    MarkDirty(key);
                    found = false;
                }
                else
                {
                    _db.InsertLoaded(key, result.Value!, result.ExpireAtMs);
                }
            }
            else if (!found && !_db.Contains(key) && !state.HasPendingSave)
            {
                _db.NegativeCache.Add(key);
            }

            if (!found && state.Waiting is not null)
            {
                foreach (var request in state.Waiting) (request.KnownAbsent ??= []).Add(key);
            }

            loaded.Add(key);
        }

        // Requests run only once the whole batch is in: a request waiting on several keys of this batch runs in its
        // turn on each of them, and nothing it does (a FLUSHDB) can overtake results still being taken in.
        if (failed is not null)
        {
            foreach (var (key, error) in failed) FailWaitingOn(key, RedisReply.Error("ERR disk load failed: " + error));
        }

        AdvanceKeys(loaded);
        foreach (var key in loaded)
        {
            if (_io.TryGetValue(key, out var state)) ForgetIfIdle(key, state);
        }

        Pump();
    }

    private void HandleSaveDone(SaveJobDone done)
    {
        if (done.ForSnapshot)
        {
            HandleSnapshotSaveDone(done);
            return;
        }

        _jobsInFlight -= done.Items.Length;
        List<CacheKey>? failedTogether = null;
        var now = MonotonicNow;
        for (var i = 0; i < done.Items.Length; i++)
        {
            var item = done.Items[i];
            var key = new CacheKey(item.Key);
            _savesInFlight--;
            if (!_io.TryGetValue(key, out var state)) continue;
            state.Flags &= ~KeyIoFlags.SaveInFlight;

            if (done.Errors[i] is not null)
            {
                // The key stays dirty: its value is saved again after a backoff, and never dropped.
                CountSaveFailure();
                state.ConsecutiveSaveFailures++;
                var backoff = Backoff(state.ConsecutiveSaveFailures);
                state.RetryNotBefore = now + backoff;
                if (state.Has(KeyIoFlags.SaveQueued))
                {
                    // The queued save now carries the failed one's writes too, so it keeps the older generation.
                    CountPendingSave(state.QueuedGeneration, -1);
                }
                else
                {
                    state.Flags |= KeyIoFlags.SaveQueued;
                    _queuedSaves++;
                }

                state.QueuedGeneration = state.InFlightGeneration;

                state.SaveWaitsForInFlight = false;
                EnqueueSave(key, state, state.RetryNotBefore);
                if (done.Atomic) (failedTogether ??= []).Add(key);
                continue;
            }

            CountSave();
            CountPendingSave(state.InFlightGeneration, -1);
            state.ConsecutiveSaveFailures = 0;
            state.RetryNotBefore = 0;
            if (item.IsDelete && !state.Has(KeyIoFlags.SaveQueued)) _db.NegativeCache.Unpin(key);
            if (state.SaveWaitsForInFlight)
            {
                state.SaveWaitsForInFlight = false;
                EnqueueSave(key, state, now);
            }

            ForgetIfIdle(key, state);
        }

        // A transaction's saves failed together: they are retried together.
        if (failedTogether is not null) GroupSaves(failedTogether);
        Pump();
    }

    private long Backoff(int failures)
    {
        var min = _settings.SaveRetryMinBackoff.TotalMilliseconds;
        var max = _settings.SaveRetryMaxBackoff.TotalMilliseconds;
        return (long)Math.Min(max, min * Math.Pow(2, Math.Min(failures - 1, 30)));
    }
}
