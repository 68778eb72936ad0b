using ActorCache.Keyspace;
using ActorCache.Settings;
using ActorCache.Storage;
using Akka.Actor;
using Akka.Event;

namespace ActorCache.DiskIo;

/// <summary>
/// Runs load, save, scan and flush jobs against the <see cref="IDiskStore"/>, one at a time, on its own pinned
/// thread: the only actor that blocks. It keeps no cache state, so a restart only reopens the store. Because it
/// handles jobs in arrival order, a job sent after another by the same keyspace sees its effect.
/// Record encoding and decoding happen here too, off the keyspace's thread. The node opens and closes the store;
/// this actor only uses it.
/// </summary>
internal sealed class DiskIoActor : ReceiveActor
{
    private readonly IDiskStore _store;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public DiskIoActor(IDiskStore store)
    {
        _store = store;
        Receive<LoadJob>(HandleLoad);
        Receive<SaveJob>(HandleSave);
        Receive<ScanJob>(HandleScan);
        Receive<DeleteDatabaseJob>(HandleDeleteDatabase);
    }

    /// <summary>The actor on the pinned dispatcher declared at <see cref="CacheSettings.DiskIoDispatcherId"/>.</summary>
    public static Props Props(IDiskStore store) =>
        Akka.Actor.Props.Create(() => new DiskIoActor(store)).WithDispatcher(CacheSettings.DiskIoDispatcherId);

    private void HandleLoad(LoadJob job)
    {
        var results = new LoadedKey[job.Keys.Length];
        IReadOnlyList<byte[]?> raw;
        try
        {
            raw = _store.MultiGet(job.Database, job.Keys);
            if (raw.Count != job.Keys.Length) throw new InvalidOperationException($"the store returned {raw.Count} values for {job.Keys.Length} keys");
        }
        catch (Exception ex)
        {
            _log.Error(ex, "Load of {0} keys from database {1} failed", job.Keys.Length, job.Database);
            for (var i = 0; i < job.Keys.Length; i++) results[i] = new LoadedKey(job.Keys[i], null, 0, ex.Message);
            Sender.Tell(new LoadJobDone(job.Database, job.Epoch, results));
            return;
        }

        for (var i = 0; i < job.Keys.Length; i++) results[i] = Decode(job.Database, job.Keys[i], raw[i]);
        Sender.Tell(new LoadJobDone(job.Database, job.Epoch, results));
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
            _log.Error("Corrupt record for a key of {0} bytes in database {1}: {2}", key.Length, database, ex.Message);
            return new LoadedKey(key, null, 0, "corrupt record on disk: " + ex.Message);
        }
    }

    private void HandleSave(SaveJob job)
    {
        var errors = new string?[job.Items.Length];
        StoreWrite[] writes = [];
        try
        {
            writes = job.Items.Select(Encode).ToArray();
            _store.Write(job.Database, writes);
        }
        catch (Exception ex) when (job.Items.Length > 1)
        {
            // One bad key must not hold the others back: retry the batch key by key to find which ones fail.
            _log.Warning("Save batch of {0} keys in database {1} failed ({2}); retrying key by key", job.Items.Length, job.Database, ex.Message);
            for (var i = 0; i < job.Items.Length; i++) errors[i] = TryWrite(job.Database, job.Items[i]);
        }
        catch (Exception ex)
        {
            _log.Error(ex, "Save of one key in database {0} failed", job.Database);
            errors[0] = ex.Message;
        }

        Sender.Tell(new SaveJobDone(job.Database, job.Items, errors));
    }

    private string? TryWrite(int database, SaveItem item)
    {
        try
        {
            _store.Write(database, [Encode(item)]);
            return null;
        }
        catch (Exception ex)
        {
            _log.Error("Save of one key in database {0} failed: {1}", database, ex.Message);
            return ex.Message;
        }
    }

    private static StoreWrite Encode(SaveItem item) =>
        item.Value is null
            ? new StoreWrite(item.Key, null)
            : new StoreWrite(item.Key, RecordCodec.Encode(new StoredRecord(item.Value.Kind, item.ExpireAtMs, item.Value.ToPayload())));

    private void HandleScan(ScanJob job)
    {
        try
        {
            var page = _store.Scan(job.Database, job.Cursor, job.Count);
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
        catch (Exception ex)
        {
            _log.Error(ex, "Scan of database {0} failed", job.Database);
            Sender.Tell(new ScanJobDone(job.Database, job.Epoch, job.Token, [], 0, ex.Message));
        }
    }

    private void HandleDeleteDatabase(DeleteDatabaseJob job)
    {
        try
        {
            _store.DeleteDatabase(job.Database);
            Sender.Tell(new DeleteDatabaseDone(job.Database, null));
        }
        catch (Exception ex)
        {
            _log.Error(ex, "Deleting database {0} from disk failed", job.Database);
            Sender.Tell(new DeleteDatabaseDone(job.Database, ex.Message));
        }
    }
}
