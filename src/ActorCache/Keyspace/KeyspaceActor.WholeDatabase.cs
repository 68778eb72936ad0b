using Akka.Actor;
using ActorCache.Commands;
using ActorCache.DiskIo;
using ActorCache.Protocol;
using ActorCache.Storage;

namespace ActorCache.Keyspace;

// Whole-database commands: KEYS, SCAN, DBSIZE and RANDOMKEY see the union of memory and disk; FLUSHALL asks the
// node to empty every database. Each runs exclusively (see the Requests part).
internal sealed partial class KeyspaceActor
{
    private readonly Dictionary<long, (PendingRequest Request, ScanRange Range)> _scansInFlight = new();
    private readonly Dictionary<long, PendingRequest> _flushAllsInFlight = new();
    private long _nextToken;

    private void StartScan(PendingRequest pending)
    {
        if (pending.Command.PlanScan!(pending.Request.Arguments, out var range) is { } error)
        {
            pending.Reply(error);
            EndExclusive();
            return;
        }

        var token = ++_nextToken;
        _scansInFlight[token] = (pending, range);
        _diskIo.Tell(new ScanJob(_databaseIndex, _epoch, token, range.Cursor, range.Count));
    }

    private void HandleScanDone(ScanJobDone done)
    {
        if (!_scansInFlight.Remove(done.Token, out var scan)) return;
        if (done.Error is not null)
        {
            scan.Request.Reply(RedisReply.Error("ERR disk scan failed: " + done.Error));
        }
        else
        {
            // A FLUSHALL from another database since the scan started emptied the disk: what it read is gone.
            var current = done.Epoch == _epoch;
            Execute(scan.Request, BuildView(current ? done.Keys : [], scan.Range.Cursor, current ? done.NextCursor : 0));
        }

        EndExclusive();
    }

    /// <summary>
    /// The live keys of scan range [cursor, nextCursor) in memory and on disk, each once. Memory decides for keys it
    /// holds; disk keys known absent (deleted, not yet on disk) or expired are left out. Nothing ran since the scan
    /// was sent (the request is exclusive), so memory and disk describe the same moment.
    /// </summary>
    private DatabaseView BuildView(IReadOnlyList<ScannedKey> diskKeys, ulong cursor, ulong nextCursor)
    {
        var now = _db.NowMs;
        var keys = new List<byte[]>(diskKeys.Count + _db.Count);
        foreach (var scanned in diskKeys)
        {
            var key = new CacheKey(scanned.Key);
            if (_db.Contains(key) || _db.NegativeCache.Contains(key) || IsPendingDelete(key)) continue;
            if (Entry.IsExpired(scanned.ExpireAtMs, now)) continue;
            keys.Add(scanned.Key);
        }

        foreach (var (key, entry) in _db.Entries)
        {
            if (entry.IsExpiredAt(now)) continue;
            var position = KeyHash.ScanPosition(key.Bytes);
            if (position >= cursor && (nextCursor == 0 || position < nextCursor)) keys.Add(key.Bytes);
        }

        return new DatabaseView(keys, nextCursor);
    }

    private bool IsPendingDelete(CacheKey key) =>
        _io.TryGetValue(key, out var state) && state.HasPendingSave && !_db.Contains(key);

    private void StartFlushAll(PendingRequest pending)
    {
        var check = RunHandler(pending.Command, pending.Request.Arguments, view: null);
        if (check is ErrorReply)
        {
            pending.Reply(check);
            EndExclusive();
            return;
        }

        var token = ++_nextToken;
        _flushAllsInFlight[token] = pending;
        Context.Parent.Tell(new FlushAllDatabases(token));
    }

    private void HandleAllDatabasesFlushed(AllDatabasesFlushed done)
    {
        if (!_flushAllsInFlight.Remove(done.Token, out var pending)) return;
        pending.Reply(RedisReply.Ok);
        EndExclusive();
    }

    private void HandleFlushDatabaseNow(FlushDatabaseNow request)
    {
        FlushDatabase();
        PublishMemory();
        Sender.Tell(DatabaseFlushed.Instance);
    }
}
