using Akka.Event;
using ActorCache.DiskIo;
using ActorCache.Protocol;
using Akka.Actor;

namespace ActorCache.Keyspace;

// The point-in-time barrier and FLUSHDB: both are about what the disk holds as a whole.
internal sealed partial class KeyspaceActor
{
    private readonly List<IActorRef> _flushBarrierWaiters = [];
    private bool _flushBarrierActive;

    /// <summary>Every queued save goes out at once; the sender hears back when nothing is queued or in flight.</summary>
    private void HandleFlushToDisk()
    {
        _flushBarrierWaiters.Add(Sender);
        _flushBarrierActive = true;
        Pump();
    }

    private void CheckFlushBarrier()
    {
        if (!_flushBarrierActive || _queuedSaves > 0 || _savesInFlight > 0 || _databaseDeletesPending > 0) return;
        foreach (var waiter in _flushBarrierWaiters) waiter.Tell(FlushedToDisk.Instance);
        _flushBarrierWaiters.Clear();
        _flushBarrierActive = false;
    }

    /// <summary>
    /// FLUSHDB: memory and the negative cache are emptied and queued saves dropped at once; the disk is emptied by a
    /// job sent after every save already in flight, so none of them can bring a value back. Loads in flight now
    /// read the old disk, so their results are dropped (a new epoch); queued loads wait for the delete.
    /// </summary>
    public void FlushDatabase()
    {
        _db.Clear();
        _saveQueue.Clear();
        foreach (var (key, state) in _io.ToArray())
        {
            if (state.Has(KeyIoFlags.SaveQueued)) _queuedSaves--;
            state.Flags &= ~KeyIoFlags.SaveQueued;
            state.SaveWaitsForInFlight = false;
            state.ConsecutiveSaveFailures = 0;
            state.RetryNotBefore = 0;
            ForgetIfIdle(key, state);
        }

        _epoch++;
        _databaseDeletesPending++;
        SendDeleteDatabase();
    }

    private void SendDeleteDatabase() => _diskIo.Tell(new DeleteDatabaseJob(_databaseIndex));

    private void HandleDeleteDatabaseDone(DeleteDatabaseDone done)
    {
        if (done.Error is not null)
        {
            _log.Warning("FLUSHDB of database {0} did not reach the disk ({1}); retrying", _databaseIndex, done.Error);
            Timers.StartSingleTimer("retry-delete-database", RetryDeleteDatabase.Instance, _settings.SaveRetryMinBackoff);
            return;
        }

        _databaseDeletesPending--;
        Pump();
    }
}
