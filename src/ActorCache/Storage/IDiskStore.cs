namespace ActorCache.Storage;

/// <summary>
/// The narrow, synchronous view of the on-disk key-value store. Only the <c>DiskIoActor</c> calls it,
/// from its own pinned thread, so implementations need not be thread-safe and may block.
/// Keys and values are opaque bytes here: values are records encoded by <see cref="RecordCodec"/>.
/// </summary>
public interface IDiskStore : IDisposable
{
    /// <summary>One line for logs and start-up output, e.g. "rocksdb at /data/rocksdb".</summary>
    string Description { get; }

    /// <summary>Reads the values of <paramref name="keys"/> in <paramref name="database"/>; a missing key yields null at its index.</summary>
    IReadOnlyList<byte[]?> MultiGet(int database, IReadOnlyList<byte[]> keys);

    /// <summary>
    /// Applies puts and deletes (a null value) to <paramref name="database"/>, in order (a later write of a key wins),
    /// atomically: after a crash, either all of them are on disk or none. The RocksDB store writes one write batch; the
    /// file store writes a journal of the batch before it replaces any key file, and replays it at the next open. A call
    /// that throws may have applied the whole batch or nothing, never a part that a reopened store would show.
    /// </summary>
    void Write(int database, IReadOnlyList<StoreWrite> writes);

    /// <summary>Removes every key of <paramref name="database"/>.</summary>
    void DeleteDatabase(int database);

    /// <summary>
    /// Returns the entries of <paramref name="database"/> whose <see cref="KeyHash.ScanPosition"/> is at least
    /// <paramref name="cursor"/>, in ascending position. It returns at least <paramref name="count"/> entries unless
    /// the database runs out, and never splits entries that share a position between two pages.
    /// <see cref="StoreScanPage.NextCursor"/> is the position of the first entry not returned, or 0 when none is left.
    /// </summary>
    StoreScanPage Scan(int database, ulong cursor, int count);

    /// <summary>
    /// Writes a consistent copy of the whole store (every database, as of this call) into <paramref name="directory"/>,
    /// which must not exist yet and is created here. The folder then holds what the store's own folder would hold (the
    /// RocksDB store: a checkpoint; the file store: a copy of its folder tree), so
    /// <see cref="DiskStoreFactory.Restore"/> can put it back and the store can open it. Later writes never change it.
    /// Stores that cannot take snapshots (test and benchmark doubles) keep this default, which throws.
    /// </summary>
    /// <exception cref="IOException"><paramref name="directory"/> exists already, or the device fails.</exception>
    /// <exception cref="NotSupportedException">The store cannot take snapshots.</exception>
    void CreateSnapshot(string directory) => throw new NotSupportedException($"The store {Description} cannot take snapshots.");
}

/// <summary>A put (<see cref="Value"/> set) or a delete (<see cref="Value"/> null) of one key.</summary>
public readonly record struct StoreWrite(byte[] Key, byte[]? Value);

/// <summary>One stored key with its encoded record.</summary>
public readonly record struct StoreEntry(byte[] Key, byte[] Value);

/// <summary>One page of a <see cref="IDiskStore.Scan"/>.</summary>
public sealed record StoreScanPage(IReadOnlyList<StoreEntry> Entries, ulong NextCursor);
