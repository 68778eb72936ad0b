using System.Collections.Concurrent;
using System.Text;
using ActorCache.Storage;

namespace ActorCache.Tests.Support;

/// <summary>
/// Wraps a real or in-memory store for specs: counts reads and writes, fails chosen keys on demand, fails every read or
/// write the way a full or failing device does (<see cref="DiskFault"/>), throws a non-IO exception (a bug) on chosen
/// keys, and can hold reads or writes at a gate until the spec opens it (the DiskIoActor's pinned thread simply waits
/// there, as on a stalled device). Thread-safe: the DiskIoActor calls it on its thread while the spec inspects it on another.
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
    private readonly ConcurrentDictionary<string, int> _unexpectedFailures = new();
    private readonly ConcurrentQueue<(string Key, long At)> _writeAttempts = new();
    private readonly ConcurrentQueue<string> _snapshots = new();
    private int _writeBatches;
    private int _waitingWriters;

    public string Description => "fake store over " + _inner.Description;

    /// <summary>Extra random delay before every call, up to this many milliseconds (0 = none).</summary>
    public int MaxRandomLatencyMs { get; set; }

    public bool FailAllWrites { get; set; }

    /// <summary>How every write (a batch, a database delete, a snapshot) fails from now on; <see cref="DiskFault.None"/> to recover.</summary>
    public DiskFault WriteFault { get; set; }

    /// <summary>How every read (a multi-get or a scan) fails from now on; <see cref="DiskFault.None"/> to recover.</summary>
    public DiskFault ReadFault { get; set; }

    /// <summary>Every write call that got past the gate, failed or not, with each key it carried and when (Stopwatch ticks).</summary>
    public IReadOnlyList<(string Key, long At)> WriteAttempts => _writeAttempts.ToArray();

    /// <summary>The folders of the snapshots the inner store took.</summary>
    public IReadOnlyList<string> Snapshots => _snapshots.ToArray();

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

    /// <summary>
    /// The next <paramref name="times"/> reads or writes that involve <paramref name="key"/> throw an
    /// <see cref="InvalidOperationException"/>: not a disk failure but a bug, which the DiskIoActor does not expect.
    /// </summary>
    public void ThrowUnexpectedFor(string key, int times = 1) => _unexpectedFailures[key] = times;

    /// <summary>A device that stops answering: every read and write waits until <see cref="Unstall"/>.</summary>
    public void Stall()
    {
        HoldReads();
        HoldWrites();
    }

    public void Unstall()
    {
        ReleaseReads();
        ReleaseWrites();
    }

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
            ThrowIfUnexpected(name);
        }

        ThrowFault(ReadFault);
        return _inner.MultiGet(database, keys);
    }

    public void Write(int database, IReadOnlyList<StoreWrite> writes)
    {
        Delay();
        Interlocked.Increment(ref _waitingWriters);
        _writeGate.Wait();
        Interlocked.Decrement(ref _waitingWriters);
        var at = System.Diagnostics.Stopwatch.GetTimestamp();
        foreach (var write in writes) _writeAttempts.Enqueue((Encoding.UTF8.GetString(write.Key), at));
        if (FailAllWrites) throw new IOException("injected write failure (disk full)");
        ThrowFault(WriteFault);
        foreach (var write in writes)
        {
            var name = Encoding.UTF8.GetString(write.Key);
            if (_failingWrites.ContainsKey(name)) throw new IOException($"injected write failure for {name}");
            ThrowIfUnexpected(name);
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
        ThrowFault(WriteFault);
        _inner.DeleteDatabase(database);
    }

    public StoreScanPage Scan(int database, ulong cursor, int count)
    {
        Delay();
        _readGate.Wait();
        ThrowFault(ReadFault);
        return _inner.Scan(database, cursor, count);
    }

    /// <summary>Forwards to the inner store (the in-memory one cannot take snapshots) after the write gate and faults.</summary>
    public void CreateSnapshot(string directory)
    {
        _writeGate.Wait();
        ThrowFault(WriteFault);
        _inner.CreateSnapshot(directory);
        _snapshots.Enqueue(directory);
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

    /// <summary>Throws what .NET throws on Linux for the fault: an IOException with the errno's text and number.</summary>
    private static void ThrowFault(DiskFault fault)
    {
        switch (fault)
        {
            case DiskFault.NoSpace:
                throw new IOException("No space left on device : '/data/files/db0'", 28);
            case DiskFault.InputOutputError:
                throw new IOException("Input/output error : '/data/files/db0'", 5);
        }
    }

    private void ThrowIfUnexpected(string key)
    {
        if (_unexpectedFailures.TryGetValue(key, out var left) && left > 0 && _unexpectedFailures.TryUpdate(key, left - 1, left))
        {
            throw new InvalidOperationException($"injected bug in the store while handling {key}");
        }
    }

    private static void Toggle(ConcurrentDictionary<string, bool> set, string key, bool on)
    {
        if (on) set[key] = true;
        else set.TryRemove(key, out _);
    }
}

/// <summary>How the <see cref="FakeDiskStore"/> fails reads or writes.</summary>
public enum DiskFault
{
    /// <summary>It does not.</summary>
    None,

    /// <summary>ENOSPC: the device is full.</summary>
    NoSpace,

    /// <summary>EIO: the device reports an error.</summary>
    InputOutputError,
}
