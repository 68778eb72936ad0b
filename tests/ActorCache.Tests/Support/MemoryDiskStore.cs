using ActorCache.Storage;

namespace ActorCache.Tests.Support;

/// <summary>An <see cref="IDiskStore"/> in memory, for specs whose point is the keyspace rather than the disk.</summary>
public sealed class MemoryDiskStore : IDiskStore
{
    private readonly object _gate = new();
    private readonly Dictionary<int, SortedDictionary<(ulong Position, string Key), StoreEntry>> _databases = new();

    public string Description => "memory store";

    public IReadOnlyList<byte[]?> MultiGet(int database, IReadOnlyList<byte[]> keys)
    {
        lock (_gate)
        {
            var db = Database(database);
            return keys.Select(k => db.TryGetValue(Id(k), out var entry) ? entry.Value : null).ToArray();
        }
    }

    public void Write(int database, IReadOnlyList<StoreWrite> writes)
    {
        lock (_gate)
        {
            var db = Database(database);
            foreach (var write in writes)
            {
                if (write.Value is null) db.Remove(Id(write.Key));
                else db[Id(write.Key)] = new StoreEntry(write.Key, write.Value);
            }
        }
    }

    public void DeleteDatabase(int database)
    {
        lock (_gate) _databases.Remove(database);
    }

    public StoreScanPage Scan(int database, ulong cursor, int count)
    {
        lock (_gate)
        {
            var entries = new List<StoreEntry>();
            ulong lastPosition = 0;
            foreach (var (id, entry) in Database(database))
            {
                if (id.Position < cursor) continue;
                if (entries.Count >= count && id.Position != lastPosition) return new StoreScanPage(entries, id.Position);
                entries.Add(entry);
                lastPosition = id.Position;
            }

            return new StoreScanPage(entries, 0);
        }
    }

    public void Dispose()
    {
    }

    private SortedDictionary<(ulong Position, string Key), StoreEntry> Database(int database)
    {
        if (!_databases.TryGetValue(database, out var db)) _databases[database] = db = new SortedDictionary<(ulong Position, string Key), StoreEntry>();
        return db;
    }

    private static (ulong Position, string Key) Id(byte[] key) => (KeyHash.ScanPosition(key), Convert.ToHexString(key));
}
