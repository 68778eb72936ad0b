using ActorCache.DiskIo;
using ActorCache.Protocol;
using Akka.Actor;
using Akka.Event;

namespace ActorCache.Keyspace;

// The flush barrier and FLUSHDB: both are about what the disk holds as a whole.
//
// The barrier answers once every write made before it is on disk, and only those: each pending save is stamped
// with the barrier generation in force when its key was first dirtied, so writes that keep arriving after a barrier
// cannot hold it up. A request accepted before the barrier but still waiting (for a load, for memory, behind a
// FLUSHDB) has not written yet: the barrier first waits for every such request to be answered, and only then takes
// its generation. While any barrier waits, saves go out at once instead of after cache-flush-delay.
internal sealed partial class KeyspaceActor
{
    // Barrier waiters in generation order (each takes the next generation): a FlushToDisk's sender, or under
    // write-through a write's reply, told once every save of an earlier generation has landed.
    private readonly Queue<(long Generation, IActorRef To, object Message)> _flushBarrierWaiters = new();
    private readonly SortedDictionary<long, int> _pendingSavesByGeneration = new();
    private long _flushGeneration;
    private bool _databaseDeleteNeeded;
    private int _databaseDeletesInFlight;
    private int _databaseDeleteFailures;

    // Barriers waiting for the requests accepted before them (up to AcceptedBefore) to be answered.
    private readonly Queue<(long AcceptedBefore, IActorRef To, object Message)> _barriersWaitingForRequests = new();
    // Requests that could not run at once, in acceptance order; answered ones leave from the head lazily. Barriers wait
    // for the ones accepted before them, and request-timeout walks them from the oldest (the Timeouts part).
    private readonly Queue<PendingRequest> _unfinishedInOrder = new();
    private long _lastOrdinal;

    private bool FlushBarrierActive => _flushBarrierWaiters.Count > 0 || _barriersWaitingForRequests.Count > 0;

    private void HandleFlushToDisk(FlushToDisk request)
    {
        _barriersWaitingForRequests.Enqueue((_lastOrdinal, Sender, FlushedToDisk.Instance));
        Pump();
    }

    /// <summary>Numbers a request that could not run at once, so barriers know which ones came before them.</summary>
    private PendingRequest Track(PendingRequest pending)
    {
        pending.Ordinal = ++_lastOrdinal;
        _unfinishedInOrder.Enqueue(pending);
        return pending;
    }

    /// <summary>
    /// Part of every pump, so the queue holds no more than the requests since the oldest one still waiting (measured:
    /// leaving answered requests to the timeout tick kept a million answered writes alive under memory pressure).
    /// </summary>
    private void ForgetFinishedRequests()
    {
        while (_unfinishedInOrder.TryPeek(out var oldest) && oldest.Finished) _unfinishedInOrder.Dequeue();
    }

    /// <summary>A barrier whose earlier requests are all answered now waits for their saves: it takes a generation.</summary>
    private void StartBarriersWithoutEarlierRequests()
    {
        ForgetFinishedRequests();
        var oldestUnfinished = _unfinishedInOrder.TryPeek(out var head) ? head.Ordinal : long.MaxValue;
        while (_barriersWaitingForRequests.TryPeek(out var barrier) && barrier.AcceptedBefore < oldestUnfinished)
        {
            _barriersWaitingForRequests.Dequeue();
            AwaitDisk(barrier.To, barrier.Message);
        }
    }

    /// <summary>Tells <paramref name="message"/> to <paramref name="to"/> once everything written so far is on disk.</summary>
    private void AwaitDisk(IActorRef to, object message) => _flushBarrierWaiters.Enqueue((++_flushGeneration, to, message));

    private void CountPendingSave(long generation, int delta)
    {
        var count = _pendingSavesByGeneration.GetValueOrDefault(generation) + delta;
        if (count == 0) _pendingSavesByGeneration.Remove(generation);
        else _pendingSavesByGeneration[generation] = count;
    }

    private void CheckFlushBarrier()
    {
        if (!FlushBarrierActive) return;
        StartBarriersWithoutEarlierRequests();
        if (_databaseDeleteNeeded) return;
        var oldestPending = _pendingSavesByGeneration.Count == 0 ? long.MaxValue : _pendingSavesByGeneration.Keys.First();
        while (_flushBarrierWaiters.TryPeek(out var waiter) && oldestPending >= waiter.Generation)
        {
            _flushBarrierWaiters.Dequeue();
            waiter.To.Tell(waiter.Message);
        }
    }

    /// <summary>
    /// FLUSHDB: memory and the negative cache are emptied and queued saves dropped at once; the disk is emptied by a
    /// job sent after every save already in flight, so none of them can bring a value back. Loads in flight now read
    /// the old disk, so their results are dropped (a new epoch). Until the delete is confirmed no load, save or scan
    /// is sent: a failed delete is retried, and nothing written after the FLUSHDB may reach the disk before it.
    /// </summary>
    public void FlushDatabase()
    {
        _db.Clear();
        _saveQueue.Clear();
        foreach (var (key, state) in _io.ToArray())
        {
            if (state.Has(KeyIoFlags.SaveQueued))
            {
                _queuedSaves--;
                CountPendingSave(state.QueuedGeneration, -1);
            }

            state.Flags &= ~KeyIoFlags.SaveQueued;
            state.SaveGroup = null;
            // Every key is gone: a change for anyone watching it.
            state.Version++;
            state.SaveWaitsForInFlight = false;
            state.ConsecutiveSaveFailures = 0;
            state.RetryNotBefore = 0;
            ForgetIfIdle(key, state);
        }

        _epoch++;
        _databaseDeleteNeeded = true;
        SendDeleteDatabase();
    }

    private void SendDeleteDatabase()
    {
        _databaseDeletesInFlight++;
        _diskIo.Tell(new DeleteDatabaseJob(_databaseIndex));
    }

    private void HandleRetryDeleteDatabase(RetryDeleteDatabase retry)
    {
        if (_databaseDeleteNeeded && _databaseDeletesInFlight == 0) SendDeleteDatabase();
    }

    private void HandleDeleteDatabaseDone(DeleteDatabaseDone done)
    {
        _databaseDeletesInFlight--;
        if (done.Error is not null)
        {
            // A later delete still in flight supersedes this one; otherwise try again after a backoff.
            if (_databaseDeletesInFlight > 0) return;
            _databaseDeleteFailures++;
            _log.Warning("FLUSHDB of database {0} did not reach the disk ({1}); retrying", _databaseIndex, done.Error);
            Timers.StartSingleTimer("retry-delete-database", RetryDeleteDatabase.Instance, TimeSpan.FromMilliseconds(Backoff(_databaseDeleteFailures)));
            return;
        }

        if (_databaseDeletesInFlight > 0) return;
        _databaseDeleteNeeded = false;
        _databaseDeleteFailures = 0;
        StartExclusiveWhenAlone();
        Pump();
    }
}
