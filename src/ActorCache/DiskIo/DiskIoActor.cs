using ActorCache.Keyspace;
using ActorCache.Settings;
using ActorCache.Storage;
using Akka.Actor;
using Akka.Event;
using RocksDbSharp;

namespace ActorCache.DiskIo;

/// <summary>
/// Runs load, save, scan, flush and snapshot jobs against the <see cref="IDiskStore"/>, one at a time, on its own
/// pinned thread: the only actor that blocks. It keeps no cache state, so a restart only loses the job it was running,
/// and that job is run once more. Because it handles jobs in arrival order, a job sent after another by the same
/// keyspace sees its effect. Record encoding and decoding happen here too, off the keyspace's thread. The node opens
/// and closes the store; this actor only uses it.
/// </summary>
/// <remarks>
/// Failures the disk is expected to have (IO errors, a full or read-only device, corrupt records) are answered as job
/// errors: the keyspace retries saves and reports failed loads. Anything else is a bug or a broken store: it escapes,
/// the node restarts this actor, and the restarted actor runs the job again once, ahead of the jobs queued after it
/// (so the order stays arrival order). A job that throws a second time is answered with the error, so no keyspace
/// waits for ever.
/// </remarks>
internal sealed class DiskIoActor : ReceiveActor, IWithUnboundedStash
{
    /// <summary>A job runs at most this many times: once, and once more after a restart.</summary>
    internal const int MaxAttempts = 2;

    private readonly IDiskStore _store;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    // The job being run, so that a restart can run it again for the same sender.
    private (object Job, int Attempt, IActorRef Sender)? _running;

    public DiskIoActor(IDiskStore store)
    {
        _store = store;
        Receive<LoadJob>(job => Run(job, 1));
        Receive<SaveJob>(job => Run(job, 1));
        Receive<ScanJob>(job => Run(job, 1));
        Receive<DeleteDatabaseJob>(job => Run(job, 1));
        Receive<SnapshotJob>(job => Run(job, 1));
        Receive<RetriedJob>(retried => Run(retried.Job, retried.Attempt));
    }

    /// <summary>Holds only the retried job a restart puts back at the head of the mailbox.</summary>
    public IStash Stash { get; set; } = null!;

    /// <summary>The actor on the pinned dispatcher declared at <see cref="CacheSettings.DiskIoDispatcherId"/>.</summary>
    public static Props Props(IDiskStore store) =>
        Akka.Actor.Props.Create(() => new DiskIoActor(store)).WithDispatcher(CacheSettings.DiskIoDispatcherId);

    /// <summary>True for the failures a disk store is expected to have; they become job errors instead of restarts.</summary>
    internal static bool IsStoreFailure(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or CorruptRecordException or RocksDbSharpException;

    protected override void PreRestart(Exception reason, object message)
    {
        if (_running is { } running)
        {
            if (running.Attempt < MaxAttempts)
            {
                _log.Warning("{0} threw {1}: {2}; the restarted disk IO actor runs it once more",
                    running.Job.GetType().Name, reason.GetType().Name, reason.Message);
                Stash.Prepend([new Envelope(new RetriedJob(running.Job, running.Attempt + 1), running.Sender)]);
                Stash.UnstashAll();
            }
            else
            {
                _log.Error(reason, "{0} threw again after a restart; answering it with the error", running.Job.GetType().Name);
                running.Sender.Tell(FailedReply(running.Job, $"disk IO failed: {reason.GetType().Name}: {reason.Message}"));
            }
        }

        base.PreRestart(reason, message);
    }

    private void Run(object job, int attempt)
    {
        _running = (job, attempt, Sender);
        switch (job)
        {
            case LoadJob load:
                HandleLoad(load);
                break;
            case SaveJob save:
                HandleSave(save);
                break;
            case ScanJob scan:
                HandleScan(scan);
                break;
            case DeleteDatabaseJob delete:
                HandleDeleteDatabase(delete);
                break;
            case SnapshotJob snapshot:
                HandleSnapshot(snapshot);
                break;
            default:
                Unhandled(job);
                break;
        }

        _running = null;
    }

    private void HandleLoad(LoadJob job)
    {
        IReadOnlyList<byte[]?> raw;
        try
        {
            raw = _store.MultiGet(job.Database, job.Keys);
        }
        catch (Exception ex) when (IsStoreFailure(ex) && job.Keys.Length > 1)
        {
            // One unreadable key must not fail the others: read them one by one to find which ones fail.
            _log.Warning("Load of {0} keys from database {1} failed ({2}); reading key by key", job.Keys.Length, job.Database, ex.Message);
            Sender.Tell(new LoadJobDone(job.Database, job.Epoch, job.Keys.Select(key => LoadOne(job.Database, key)).ToArray()));
            return;
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            Sender.Tell(new LoadJobDone(job.Database, job.Epoch, [ReadFailed(job.Database, job.Keys[0], ex)]));
            return;
        }

        if (raw.Count != job.Keys.Length)
        {
            throw new InvalidOperationException($"The store returned {raw.Count} values for {job.Keys.Length} keys.");
        }

        var results = new LoadedKey[job.Keys.Length];
        for (var i = 0; i < job.Keys.Length; i++) results[i] = Decode(job.Database, job.Keys[i], raw[i]);
        Sender.Tell(new LoadJobDone(job.Database, job.Epoch, results));
    }

    private LoadedKey LoadOne(int database, byte[] key)
    {
        try
        {
            return Decode(database, key, _store.MultiGet(database, [key])[0]);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            return ReadFailed(database, key, ex);
        }
    }

    private LoadedKey ReadFailed(int database, byte[] key, Exception ex)
    {
        if (ex is CorruptRecordException)
        {
            _log.Error("Corrupt record for a key of {0} bytes in database {1}: {2}", key.Length, database, ex.Message);
            return new LoadedKey(key, null, 0, "corrupt record on disk: " + ex.Message);
        }

        _log.Error(ex, "Load of a key of {0} bytes from database {1} failed", key.Length, database);
        return new LoadedKey(key, null, 0, ex.Message);
    }

    private LoadedKey Decode(int database, byte[] key, byte[]? bytes)
    {
        if (bytes is null) return new LoadedKey(key, null, 0, null);
        try
        {
            var record = RecordCodec.Decode(bytes);
            return new LoadedKey(key, CacheValue.FromRecord(record), record.ExpireAtUnixMs, null);
        }
        catch (CorruptRecordException ex)
        {
            return ReadFailed(database, key, ex);
        }
    }

    private void HandleSave(SaveJob job)
    {
        var errors = new string?[job.Items.Length];
        var writes = job.Items.Select(Encode).ToArray();
        try
        {
            _store.Write(job.Database, writes);
        }
        catch (Exception ex) when (IsStoreFailure(ex) && job.Items.Length > 1 && !job.Atomic)
        {
            // One bad key must not hold the others back: retry the batch key by key to find which ones fail.
            _log.Warning("Save batch of {0} keys in database {1} failed ({2}); retrying key by key", job.Items.Length, job.Database, ex.Message);
            for (var i = 0; i < writes.Length; i++) errors[i] = TryWrite(job.Database, writes[i]);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            // An atomic batch fails as a whole: the store applied none of it.
            _log.Error(ex, "Save of {0} keys in database {1} failed", job.Items.Length, job.Database);
            Array.Fill(errors, ex.Message);
        }

        Sender.Tell(SaveDone(job, errors));
    }

    private string? TryWrite(int database, StoreWrite write)
    {
        try
        {
            _store.Write(database, [write]);
            return null;
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            _log.Error("Save of one key in database {0} failed: {1}", database, ex.Message);
            return ex.Message;
        }
    }

    private static StoreWrite Encode(SaveItem item) =>
        item.Value is null
            ? new StoreWrite(item.Key, null)
            : new StoreWrite(item.Key, RecordCodec.Encode(new StoredRecord(item.Value.Kind, item.ExpireAtMs, item.Value.ToPayload())));

    private static SaveJobDone SaveDone(SaveJob job, string?[] errors) =>
        new(job.Database, job.Items, errors) { Atomic = job.Atomic, ForSnapshot = job.ForSnapshot };

    private void HandleScan(ScanJob job)
    {
        StoreScanPage page;
        try
        {
            page = _store.Scan(job.Database, job.Cursor, job.Count);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            _log.Error(ex, "Scan of database {0} failed", job.Database);
            Sender.Tell(FailedReply(job, ex.Message));
            return;
        }

        var keys = new List<ScannedKey>(page.Entries.Count);
        foreach (var entry in page.Entries)
        {
            // A corrupt record still names a key that exists; it is listed, and reading it reports the corruption.
            long expireAt;
            try
            {
                expireAt = RecordCodec.ReadExpiry(entry.Value);
            }
            catch (CorruptRecordException)
            {
                expireAt = 0;
            }

            keys.Add(new ScannedKey(entry.Key, expireAt));
        }

        Sender.Tell(new ScanJobDone(job.Database, job.Epoch, job.Token, keys, page.NextCursor, null));
    }

    private void HandleDeleteDatabase(DeleteDatabaseJob job)
    {
        try
        {
            _store.DeleteDatabase(job.Database);
            Sender.Tell(new DeleteDatabaseDone(job.Database, null));
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            _log.Error(ex, "Deleting database {0} from disk failed", job.Database);
            Sender.Tell(FailedReply(job, ex.Message));
        }
    }

    /// <summary>
    /// Every failure is the snapshot's error: it changed nothing in the store, so there is nothing to run again. The
    /// node logs the outcome, whichever step of the snapshot it came from.
    /// </summary>
    private void HandleSnapshot(SnapshotJob job)
    {
        try
        {
            _store.CreateSnapshot(job.Directory);
            Sender.Tell(new SnapshotJobDone(job.Directory, null));
        }
        catch (Exception ex)
        {
            Sender.Tell(FailedReply(job, ex.Message));
        }
    }

    /// <summary>The completion of <paramref name="job"/> with <paramref name="error"/> for everything it asked.</summary>
    private static object FailedReply(object job, string error) => job switch
    {
        LoadJob load => new LoadJobDone(load.Database, load.Epoch, load.Keys.Select(key => new LoadedKey(key, null, 0, error)).ToArray()),
        SaveJob save => SaveDone(save, Enumerable.Repeat<string?>(error, save.Items.Length).ToArray()),
        ScanJob scan => new ScanJobDone(scan.Database, scan.Epoch, scan.Token, [], 0, error),
        DeleteDatabaseJob delete => new DeleteDatabaseDone(delete.Database, error),
        SnapshotJob snapshot => new SnapshotJobDone(snapshot.Directory, error),
        _ => throw new ArgumentException($"{job.GetType().Name} is not a disk job.", nameof(job)),
    };
}
