using System.Collections.Concurrent;
using System.Text;
using ActorCache.Storage;
using ActorCache.Tests.Support;

namespace ActorCache.Tests.Transactions;

/// <summary>An in-memory store that remembers which keys each <see cref="IDiskStore.Write"/> call carried, and can fail writes that carry a chosen key.</summary>
public sealed class BatchRecordingStore : IDiskStore
{
    private readonly MemoryDiskStore _inner = new();
    private readonly ConcurrentQueue<string[]> _batches = new();
    private volatile string? _failWritesWith;

    public string Description => "batch-recording " + _inner.Description;

    /// <summary>The keys of every successful write call, in order.</summary>
    public IReadOnlyList<string[]> Batches => _batches.ToArray();

    /// <summary>While set, a write call that carries this key fails as a whole (nothing of it is applied).</summary>
    public string? FailWritesWith
    {
        get => _failWritesWith;
        set => _failWritesWith = value;
    }

    public IReadOnlyList<byte[]?> MultiGet(int database, IReadOnlyList<byte[]> keys) => _inner.MultiGet(database, keys);

    public void Write(int database, IReadOnlyList<StoreWrite> writes)
    {
        var keys = writes.Select(w => Encoding.UTF8.GetString(w.Key)).ToArray();
        if (_failWritesWith is { } failing && keys.Contains(failing)) throw new IOException("Input/output error");
        _inner.Write(database, writes);
        _batches.Enqueue(keys);
    }

    public void DeleteDatabase(int database) => _inner.DeleteDatabase(database);

    public StoreScanPage Scan(int database, ulong cursor, int count) => _inner.Scan(database, cursor, count);

    public void Dispose() => _inner.Dispose();
}
