using System.Collections.Concurrent;
using System.Text;
using ActorCache.Storage;

namespace ActorCache.Tests.Support;

/// <summary>
/// Wraps a real or in-memory store for specs: counts reads and writes, fails chosen keys on demand, and can hold
/// reads or writes at a gate until the spec opens it (the DiskIoActor's pinned thread simply waits there).
/// Thread-safe: the DiskIoActor calls it on its thread while the spec inspects it on another.
/// </summary>
public sealed class FakeDiskStore(IDiskStore? inner = null) : IDiskStore
{
    private readonly IDiskStore _inner = inner ?? new MemoryDiskStore();
    private readonly ConcurrentQueue<(int Database, string Key, byte[]? Value)> _writes = new();
    private readonly ConcurrentDictionary<string, int> _readsByKey = new();
    private readonly ConcurrentDictionary<string, bool> _failingReads = new();
    private readonly ConcurrentDictionary<string, bool> _failingWrites = new();
    private readonly ManualResetEventSlim _readGate = new(true);
    private readonly ManualResetEventSlim _writeGate = new(true);
    private int _writeBatches;
    private int _waitingWriters;

    public string Description => "fake store over " + _inner.Description;

    /// <summary>Extra random delay before every call, up to this many milliseconds (0 = none).</summary>
    public int MaxRandomLatencyMs { get; set; }

    public bool FailAllWrites { get; set; }

    private int _databaseDeletesToFail;

    /// <summary>The next <paramref name="count"/> database deletes (FLUSHDB) fail.</summary>
    public void FailNextDatabaseDeletes(int count) => Volatile.Write(ref _databaseDeletesToFail, count);

    public int WriteBatches => Volatile.Read(ref _writeBatches);

    /// <summary>True while a write is waiting at the closed write gate.</summary>
    public bool WriterIsWaiting => Volatile.Read(ref _waitingWriters) > 0;

    /// <summary>Every key written, in order, with its record (null for a delete).</summary>
    public IReadOnlyList<(int Database, string Key, byte[]? Value)> Writes => _writes.ToArray();

    public int ReadsOf(string key) => _readsByKey.GetValueOrDefault(key);

    public int WritesOf(string key) => _writes.Count(w => w.Key == key);

    public void FailReadsOf(string key, bool fail = true) => Toggle(_failingReads, key, fail);

    public void FailWritesOf(string key, bool fail = true) => Toggle(_failingWrites, key, fail);

    public void HoldReads() => _readGate.Reset();

    public void ReleaseReads() => _readGate.Set();

    public void HoldWrites() => _writeGate.Reset();

    public void ReleaseWrites() => _writeGate.Set();

    /// <summary>The decoded string stored for <paramref name="key"/> in <paramref name="database"/>, or null.</summary>
    public string? StoredString(string key, int database = 0)
    {
        var raw = _inner.MultiGet(database, [Encoding.UTF8.GetBytes(key)])[0];
        return raw is null ? null : Encoding.UTF8.GetString(RecordCodec.Decode(raw).Payload);
    }

    /// <summary>Puts a string straight onto the disk, as if an earlier run of the node had saved it.</summary>
    public void Seed(string key, string value, long expireAtMs = 0, int database = 0) =>
        _inner.Write(database, [new StoreWrite(Encoding.UTF8.GetBytes(key), RecordCodec.Encode(new StoredRecord(ValueKind.String, expireAtMs, Encoding.UTF8.GetBytes(value))))]);

    public IReadOnlyList<byte[]?> MultiGet(int database, IReadOnlyList<byte[]> keys)
    {
        Delay();
        _readGate.Wait();
        foreach (var key in keys)
        {
            var name = Encoding.UTF8.GetString(key);
            _readsByKey.AddOrUpdate(name, 1, (_, n) => n + 1);
            if (_failingReads.ContainsKey(name)) throw new IOException($"injected read failure for {name}");
        }

        return _inner.MultiGet(database, keys);
    }

    public void Write(int database, IReadOnlyList<StoreWrite> writes)
    {
        Delay();
        Interlocked.Increment(ref _waitingWriters);
        _writeGate.Wait();
        Interlocked.Decrement(ref _waitingWriters);
        if (FailAllWrites) throw new IOException("injected write failure (disk full)");
        foreach (var write in writes)
        {
            var name = Encoding.UTF8.GetString(write.Key);
            if (_failingWrites.ContainsKey(name)) throw new IOException($"injected write failure for {name}");
        }

        _inner.Write(database, writes);
        Interlocked.Increment(ref _writeBatches);
        foreach (var write in writes) _writes.Enqueue((database, Encoding.UTF8.GetString(write.Key), write.Value));
    }

    public void DeleteDatabase(int database)
    {
        Delay();
        _writeGate.Wait();
        if (Interlocked.Decrement(ref _databaseDeletesToFail) >= 0) throw new IOException("injected failure of a database delete");
        _inner.DeleteDatabase(database);
    }

    public StoreScanPage Scan(int database, ulong cursor, int count)
    {
        Delay();
        _readGate.Wait();
        return _inner.Scan(database, cursor, count);
    }

    /// <summary>The node closes the store on stop; the fake keeps its data so a spec can restart a node on it.</summary>
    public void Dispose()
    {
    }

    // Simulated disk latency: it blocks the DiskIoActor's thread, as a slow disk would; no spec waits this way.
    private void Delay()
    {
        if (MaxRandomLatencyMs > 0) Thread.Sleep(Random.Shared.Next(MaxRandomLatencyMs + 1));
    }

    private static void Toggle(ConcurrentDictionary<string, bool> set, string key, bool on)
    {
        if (on) set[key] = true;
        else set.TryRemove(key, out _);
    }
}
