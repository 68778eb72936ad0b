using ActorCache.Storage;

namespace ActorCache.Benchmarks.Stores;

/// <summary>
/// An in-memory <see cref="IDiskStore"/> (nothing survives the process), for measuring the node without disk cost.
/// Only the DiskIoActor calls it, from one thread; the lock makes it safe for anything else too.
/// </summary>
public sealed class MemoryStore : IDiskStore
{
    private readonly Dictionary<(int Database, string Key), byte[]> _values = new();
    private readonly Lock _lock = new();

    public string Description => "in-memory store";

    public IReadOnlyList<byte[]?> MultiGet(int database, IReadOnlyList<byte[]> keys)
    {
        lock (_lock)
        {
            var result = new byte[]?[keys.Count];
            for (var i = 0; i < keys.Count; i++) result[i] = _values.GetValueOrDefault((database, Convert.ToBase64String(keys[i])));
            return result;
        }
    }

    public void Write(int database, IReadOnlyList<StoreWrite> writes)
    {
        lock (_lock)
        {
            foreach (var write in writes)
            {
                var key = (database, Convert.ToBase64String(write.Key));
                if (write.Value is null) _values.Remove(key);
                else _values[key] = write.Value;
            }
        }
    }

    public void DeleteDatabase(int database)
    {
        lock (_lock)
        {
            foreach (var key in _values.Keys.Where(k => k.Database == database).ToList()) _values.Remove(key);
        }
    }

    public StoreScanPage Scan(int database, ulong cursor, int count)
    {
        lock (_lock)
        {
            var ordered = _values
                .Where(p => p.Key.Database == database)
                .Select(p => (Key: Convert.FromBase64String(p.Key.Key), p.Value))
                .Select(p => (p.Key, p.Value, Position: KeyHash.ScanPosition(p.Key)))
                .Where(p => p.Position >= cursor)
                .OrderBy(p => p.Position)
                .ToList();
            var entries = new List<StoreEntry>();
            ulong last = 0;
            foreach (var (key, value, position) in ordered)
            {
                if (entries.Count >= count && position != last) return new StoreScanPage(entries, position);
                entries.Add(new StoreEntry(key, value));
                last = position;
            }

            return new StoreScanPage(entries, 0);
        }
    }

    public void Dispose()
    {
    }
}
