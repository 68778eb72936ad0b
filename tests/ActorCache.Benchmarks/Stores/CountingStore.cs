using ActorCache.Storage;

namespace ActorCache.Benchmarks.Stores;

/// <summary>An <see cref="IDiskStore"/> decorator that counts the calls and keys that reach the inner store.</summary>
public sealed class CountingStore(IDiskStore inner) : IDiskStore
{
    private long _writeBatches;
    private long _keyWrites;
    private long _keyDeletes;
    private long _multiGets;
    private long _keyReads;

    public string Description => "counting " + inner.Description;

    /// <summary>Calls of <see cref="Write"/> (one RocksDB write batch each).</summary>
    public long WriteBatches => Interlocked.Read(ref _writeBatches);

    /// <summary>Keys written (puts and deletes).</summary>
    public long KeyWrites => Interlocked.Read(ref _keyWrites);

    public long KeyDeletes => Interlocked.Read(ref _keyDeletes);

    public long MultiGets => Interlocked.Read(ref _multiGets);

    public long KeyReads => Interlocked.Read(ref _keyReads);

    public IReadOnlyList<byte[]?> MultiGet(int database, IReadOnlyList<byte[]> keys)
    {
        Interlocked.Increment(ref _multiGets);
        Interlocked.Add(ref _keyReads, keys.Count);
        return inner.MultiGet(database, keys);
    }

    public void Write(int database, IReadOnlyList<StoreWrite> writes)
    {
        inner.Write(database, writes);
        Interlocked.Increment(ref _writeBatches);
        Interlocked.Add(ref _keyWrites, writes.Count);
        var deletes = 0;
        foreach (var write in writes) if (write.Value is null) deletes++;
        Interlocked.Add(ref _keyDeletes, deletes);
    }

    public void DeleteDatabase(int database) => inner.DeleteDatabase(database);

    public StoreScanPage Scan(int database, ulong cursor, int count) => inner.Scan(database, cursor, count);

    public void Dispose() => inner.Dispose();
}
