using ActorCache.DiskIo;
using Akka.Actor;
using Akka.Event;

namespace ActorCache.Keyspace;

// A snapshot's point in time (SAVE, BGSAVE; DESIGN.md section 2 "Point in time"). On the hold the keyspace captures
// what every dirty key holds now and sends it in one atomic extra save; from then on it sends no save and runs no
// FLUSHDB until released, so once that job and the saves already in flight are done the disk holds exactly the
// dataset as of the hold. It keeps serving meanwhile: writes land in memory and wait, reads load as usual. The dirty
// keys stay dirty and are saved again after the release: a second write of a value, never a lost one.
internal sealed partial class KeyspaceActor
{
    private (IActorRef Coordinator, long Token)? _snapshotHold;
    private SaveItem[]? _snapshotItemsToSend;
    private bool _snapshotJobInFlight;
    private bool _snapshotHoldReported;
    private string? _snapshotError;

    private bool SavesHeld => _snapshotHold is not null;

    private void HandleHoldSaves(HoldSavesForSnapshot hold)
    {
        if (_snapshotHold is not null)
        {
            Sender.Tell(new SavesHeldForSnapshot(hold.Token, _databaseIndex, "another snapshot holds this database"));
            return;
        }

        _snapshotHold = (Sender, hold.Token);
        _snapshotHoldReported = false;
        _snapshotError = null;
        // A coordinator that dies must not leave this keyspace holding its saves for ever.
        Context.Watch(Sender);

        // Keys with a save in flight too: that save may still fail, and the extra job, behind it at the DiskIoActor,
        // puts the value of this moment on disk either way.
        var items = new List<SaveItem>();
        foreach (var (key, state) in _io)
        {
            if (!state.HasPendingSave) continue;
            var entry = _db.Peek(key);
            items.Add(new SaveItem(key.Bytes, entry?.Value, entry?.ExpireAtMs ?? 0));
        }

        _snapshotItemsToSend = items.Count > 0 ? items.ToArray() : null;
        Pump();
    }

    private void HandleReleaseSnapshotHold(ReleaseSnapshotHold release)
    {
        if (_snapshotHold is not { } hold || hold.Token != release.Token) return;
        EndSnapshotHold(hold.Coordinator);
    }

    private void HandleTerminated(Terminated terminated)
    {
        if (_snapshotHold is { } hold && hold.Coordinator.Equals(terminated.ActorRef)) EndSnapshotHold(hold.Coordinator);
    }

    private void EndSnapshotHold(IActorRef coordinator)
    {
        Context.Unwatch(coordinator);
        _snapshotHold = null;
        _snapshotItemsToSend = null;
        // A FLUSHDB that arrived during the hold has waited for it.
        StartExclusiveWhenAlone();
        Pump();
    }

    /// <summary>Part of every pump while a hold is on: sends the captured saves when the disk may take them, and reports once drained.</summary>
    private void ProgressSnapshotHold()
    {
        if (_snapshotHold is not { } hold) return;
        // A FLUSHDB from before the hold must reach the disk first, or it would erase the captured values after them.
        if (_snapshotItemsToSend is { } items && !_databaseDeleteNeeded)
        {
            _snapshotItemsToSend = null;
            _snapshotJobInFlight = true;
            _diskIo.Tell(new SaveJob(_databaseIndex, items) { Atomic = true, ForSnapshot = true });
        }

        var drained = _snapshotItemsToSend is null && !_snapshotJobInFlight && _savesInFlight == 0 && !_databaseDeleteNeeded && _databaseDeletesInFlight == 0;
        if (!drained || _snapshotHoldReported) return;
        _snapshotHoldReported = true;
        hold.Coordinator.Tell(new SavesHeldForSnapshot(hold.Token, _databaseIndex, _snapshotError));
    }

    private void HandleSnapshotSaveDone(SaveJobDone done)
    {
        _snapshotJobInFlight = false;
        var error = Array.Find(done.Errors, e => e is not null);
        if (error is not null)
        {
            _snapshotError = $"database {_databaseIndex}: saving its dirty keys for the snapshot failed: {error}";
            _log.Warning("Snapshot saves of database {0} failed: {1}", _databaseIndex, error);
        }

        Pump();
    }
}
