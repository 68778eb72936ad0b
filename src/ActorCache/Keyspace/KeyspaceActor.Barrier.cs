using ActorCache.DiskIo;
using ActorCache.Protocol;
using Akka.Actor;
using Akka.Event;

namespace ActorCache.Keyspace;

// The flush barrier and FLUSHDB: both are about what the disk holds as a whole.
//
// The barrier answers once every write made before it is on disk, and only those: each pending save is stamped
// with the barrier generation in force when its key was first dirtied, so writes that keep arriving after a barrier
// cannot hold it up. While any barrier waits, saves go out at once instead of after cache-flush-delay.
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

    private bool FlushBarrierActive => _flushBarrierWaiters.Count > 0;

    private void HandleFlushToDisk(FlushToDisk request)
    {
        AwaitDisk(Sender, FlushedToDisk.Instance);
        Pump();
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
        if (!FlushBarrierActive || _databaseDeleteNeeded) return;
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
