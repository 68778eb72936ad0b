using Akka.Event;
using Akka.Actor;
using ActorCache.Commands;
using ActorCache.DiskIo;
using ActorCache.Protocol;
using ActorCache.Storage;

namespace ActorCache.Keyspace;

// Running requests: every key a command needs must be in memory or known absent; otherwise the request parks on
// the key and a load is scheduled. Requests on other keys go on meanwhile.
internal sealed partial class KeyspaceActor
{
    private readonly Dictionary<long, (PendingRequest Request, ScanRange Range)> _scansInFlight = new();
    private long _nextScanToken;

    private void HandleRequest(CacheRequest request)
    {
        var pending = ValidateAndWrap(request);
        if (pending is null) return;
        if (pending.Command.Flags.HasFlag(CommandFlags.Node))
        {
            // FLUSHALL and its kind span every database: the node runs them.
            Context.Parent.Forward(request);
            return;
        }

        TryRun(pending);
    }

    private PendingRequest? ValidateAndWrap(CacheRequest request)
    {
        var arguments = request.Arguments;
        RedisReply? error = null;
        CommandSpec? command = null;
        if (arguments is null || arguments.Length == 0 || arguments.Any(a => a is null)) error = Errors.EmptyCommand;
        else if (!_commands.TryGet(arguments[0], out command)) error = Errors.UnknownCommand(arguments);
        else if (!command.AcceptsArgumentCount(arguments.Length)) error = Errors.WrongArity(command.Name);

        if (error is null) return new PendingRequest(request, command!, Sender);
        Sender.Tell(new CacheReply(request.CorrelationId, error));
        return null;
    }

    /// <summary>Runs the request if all its keys are ready; otherwise parks it on the first key being loaded.</summary>
    private void TryRun(PendingRequest pending)
    {
        var arguments = pending.Request.Arguments;
        CacheKey? parkOn = null;
        var blind = pending.Command.IsBlindWrite(arguments);
        foreach (var index in pending.Command.KeyIndexes(arguments.Length))
        {
            var key = new CacheKey(arguments[index]);
            if (IsReady(key, pending, blind)) continue;
            // Every missing key starts loading now, not one after another: the seed's "preload what a command needs".
            ScheduleLoad(key);
            parkOn ??= key;
        }

        if (parkOn is { } waitKey)
        {
            var state = IoState(waitKey);
            (state.Parked ??= new Queue<PendingRequest>()).Enqueue(pending);
            Pump();
            return;
        }

        if (pending.Command.Flags.HasFlag(CommandFlags.WholeDatabase))
        {
            StartScan(pending);
            return;
        }

        Execute(pending, view: null);
    }

    /// <summary>
    /// In memory, or known absent, or about to be overwritten blindly; and in every case not waiting for a load that
    /// an earlier request started (that would break per-key arrival order).
    /// </summary>
    private bool IsReady(CacheKey key, PendingRequest pending, bool blindWrite)
    {
        if (_io.TryGetValue(key, out var state) && state.Has(KeyIoFlags.Loading)) return false;
        if (blindWrite || _db.Contains(key) || _db.NegativeCache.Contains(key)) return true;
        if (pending.KnownAbsent?.Contains(key) == true) return true;
        // Not in memory with a save pending means its delete (DEL or FLUSHDB) has not reached the disk: absent.
        // A dirty key is never dropped from memory, so no load ever has to wait behind a save of the same key.
        return state is not null && state.Has(KeyIoFlags.SaveQueued | KeyIoFlags.SaveInFlight);
    }

    private void Execute(PendingRequest pending, DatabaseView? view)
    {
        RedisReply reply;
        try
        {
            reply = pending.Command.Handler(new CommandContext(pending.Request.Arguments, _db, _settings, this, view));
        }
        catch (Exception ex)
        {
            // A handler bug must cost one error reply, never the keyspace and its dirty keys.
            _log.Error(ex, "Command {0} failed in database {1}", pending.Command.Name, _databaseIndex);
            reply = RedisReply.Error("ERR internal error: " + ex.Message);
        }

        pending.Reply(reply);
        Pump();
    }

    private void StartScan(PendingRequest pending)
    {
        if (pending.Command.PlanScan!(pending.Request.Arguments, out var range) is { } error)
        {
            pending.Reply(error);
            return;
        }

        var token = ++_nextScanToken;
        _scansInFlight[token] = (pending, range);
        _diskIo.Tell(new ScanJob(_databaseIndex, _epoch, token, range.Cursor, range.Count));
    }

    private void HandleScanDone(ScanJobDone done)
    {
        if (!_scansInFlight.Remove(done.Token, out var scan)) return;
        if (done.Error is not null)
        {
            scan.Request.Reply(RedisReply.Error("ERR disk scan failed: " + done.Error));
            return;
        }

        // A FLUSHDB since the scan started emptied the disk: what the scan read is gone.
        var diskKeys = done.Epoch == _epoch ? done.Keys : [];
        var nextCursor = done.Epoch == _epoch ? done.NextCursor : 0;
        Execute(scan.Request, BuildView(diskKeys, scan.Range.Cursor, nextCursor));
    }

    /// <summary>
    /// The live keys of scan range [cursor, nextCursor) in memory and on disk, each once. Memory decides for keys it
    /// holds; disk keys known absent (deleted, not yet on disk) or expired are left out.
    /// </summary>
    private DatabaseView BuildView(IReadOnlyList<ScannedKey> diskKeys, ulong cursor, ulong nextCursor)
    {
        var now = _db.NowMs;
        var keys = new List<byte[]>(diskKeys.Count + _db.Count);
        foreach (var scanned in diskKeys)
        {
            var key = new CacheKey(scanned.Key);
            if (_db.Contains(key) || _db.NegativeCache.Contains(key) || IsPendingDelete(key)) continue;
            if (scanned.ExpireAtMs != 0 && scanned.ExpireAtMs <= now) continue;
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
        _io.TryGetValue(key, out var state) && state.Has(KeyIoFlags.SaveQueued | KeyIoFlags.SaveInFlight) && !_db.Contains(key);
}
