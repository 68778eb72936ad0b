using System.Buffers.Binary;
using RocksDbSharp;

namespace ActorCache.Storage;

/// <summary>
/// The default <see cref="IDiskStore"/>: one RocksDB instance for all databases.
/// </summary>
/// <remarks>
/// A stored key is the 2-byte big-endian database index, the 8-byte big-endian <see cref="KeyHash.ScanPosition"/> of
/// the key, then the key's bytes. Big-endian makes RocksDB's bytewise order the (database, position, key) order, so a
/// database is one contiguous range (one range delete clears it) and iterating it yields SCAN order directly.
/// </remarks>
public sealed class RocksDbDiskStore : IDiskStore
{
    private const int DatabasePrefixSize = 2;
    private const int PrefixSize = DatabasePrefixSize + sizeof(ulong);
    private const ulong BlockCacheBytes = 32UL << 20;

    private readonly RocksDb _db;
    private readonly WriteOptions _writeOptions;
    private readonly ReadOptions _readOptions = new();

    // The native options and cache must outlive the database handle, so they stay referenced here.
    private readonly DbOptions _dbOptions;
    private readonly BlockBasedTableOptions _tableOptions;
    private readonly Cache _blockCache;
    private bool _disposed;

    /// <summary>Opens the store in <paramref name="directory"/>, creating the folder and the database if they do not exist.</summary>
    /// <param name="directory">The folder of this RocksDB instance; no other process may have it open.</param>
    /// <param name="syncWrites">
    /// When true, every <see cref="Write"/> fsyncs the write-ahead log before it returns, so an acknowledged batch survives a
    /// machine crash, at the cost of one fsync per batch. When false (the default) a batch survives a process crash but the
    /// last moments of writes may be lost if the machine itself goes down.
    /// </param>
    public RocksDbDiskStore(string directory, bool syncWrites = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        Description = $"rocksdb at {Path.GetFullPath(directory)}" + (syncWrites ? ", every write synced" : "");

        _blockCache = Cache.CreateLru(BlockCacheBytes);
        _tableOptions = new BlockBasedTableOptions()
            .SetBlockCache(_blockCache)
            // Bloom filters let a multi-get of absent keys (the cache's common miss) skip most table reads.
            .SetFilterPolicy(BloomFilterPolicy.Create(10, false))
            .SetCacheIndexAndFilterBlocks(true)
            .SetPinL0FilterAndIndexBlocksInCache(true);
        _dbOptions = new DbOptions()
            .SetCreateIfMissing(true)
            .SetCompression(Compression.Lz4)
            .SetMaxOpenFiles(512)
            .IncreaseParallelism(Math.Max(2, Environment.ProcessorCount))
            .SetKeepLogFileNum(5)
            .SetMaxLogFileSize(16UL << 20)
            .SetBlockBasedTableFactory(_tableOptions);
        _writeOptions = new WriteOptions().SetSync(syncWrites);
        _db = RocksDb.Open(_dbOptions, directory);
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public IReadOnlyList<byte[]?> MultiGet(int database, IReadOnlyList<byte[]> keys)
    {
        ThrowIfDisposed();
        DiskStoreFactory.CheckDatabase(database);
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return [];
        }

        var storedKeys = new byte[keys.Count][];
        for (var i = 0; i < keys.Count; i++)
        {
            storedKeys[i] = StoredKey(database, keys[i]);
        }

        var found = _db.MultiGet(storedKeys, null, _readOptions);
        var values = new byte[]?[found.Length];
        for (var i = 0; i < found.Length; i++)
        {
            values[i] = found[i].Value;
        }

        return values;
    }

    /// <inheritdoc />
    public void Write(int database, IReadOnlyList<StoreWrite> writes)
    {
        ThrowIfDisposed();
        DiskStoreFactory.CheckDatabase(database);
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count == 0)
        {
            return;
        }

        using var batch = new WriteBatch();
        foreach (var write in writes)
        {
            var key = StoredKey(database, write.Key);
            if (write.Value is null)
            {
                batch.Delete(key);
            }
            else
            {
                batch.Put(key, write.Value);
            }
        }

        _db.Write(batch, _writeOptions);
    }

    /// <inheritdoc />
    public void DeleteDatabase(int database)
    {
        ThrowIfDisposed();
        DiskStoreFactory.CheckDatabase(database);

        // One range tombstone instead of a delete per key: constant cost whatever the database holds, and reads and
        // iterators honour it at once; compaction reclaims the space later.
        var start = DatabasePrefix(database);
        var end = DatabasePrefix(database + 1);
        using var batch = new WriteBatch();
        batch.DeleteRange(start, (ulong)start.Length, end, (ulong)end.Length);
        _db.Write(batch, _writeOptions);
    }

    /// <inheritdoc />
    public StoreScanPage Scan(int database, ulong cursor, int count)
    {
        ThrowIfDisposed();
        DiskStoreFactory.CheckDatabase(database);
        // With zero entries allowed, a page could return nothing yet name position 0 as the next cursor: ambiguous with "done".
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);

        var start = new byte[PrefixSize];
        WritePrefix(start, database, cursor);
        // The upper bound stops the iterator at the database's end instead of reading into the next one.
        var readOptions = new ReadOptions().SetIterateUpperBound(DatabasePrefix(database + 1));

        var entries = new List<StoreEntry>(Math.Min(count, 1024));
        ulong nextCursor = 0;
        ulong lastPosition = 0;
        using (var iterator = _db.NewIterator(null, readOptions))
        {
            for (iterator.Seek(start); iterator.Valid(); iterator.Next())
            {
                var storedKey = iterator.GetKeySpan();
                var position = BinaryPrimitives.ReadUInt64BigEndian(storedKey[DatabasePrefixSize..]);
                if (entries.Count >= count && position != lastPosition)
                {
                    nextCursor = position;
                    break;
                }

                entries.Add(new StoreEntry(storedKey[PrefixSize..].ToArray(), iterator.Value()));
                lastPosition = position;
            }
        }

        // The native iterator reads the bound from memory that the options' finalizer frees.
        GC.KeepAlive(readOptions);
        return new StoreScanPage(entries, nextCursor);
    }

    /// <summary>
    /// Takes a RocksDB checkpoint into <paramref name="directory"/>: the memtable is flushed, table files are hard-linked
    /// where the file system allows (copied otherwise), so the snapshot costs little space until the store compacts.
    /// </summary>
    /// <exception cref="IOException"><paramref name="directory"/> exists already.</exception>
    /// <exception cref="RocksDbException">RocksDB cannot write the checkpoint.</exception>
    public void CreateSnapshot(string directory)
    {
        ThrowIfDisposed();
        var destination = DiskStoreFactory.CheckNewSnapshotFolder(directory);
        using var checkpoint = _db.Checkpoint();
        checkpoint.Save(destination);
    }

    /// <summary>Closes the database; the store cannot be used afterwards.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _db.Dispose();
        GC.KeepAlive(_dbOptions);
        GC.KeepAlive(_tableOptions);
        GC.KeepAlive(_blockCache);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private static byte[] StoredKey(int database, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var stored = new byte[PrefixSize + key.Length];
        WritePrefix(stored, database, KeyHash.ScanPosition(key));
        key.CopyTo(stored.AsSpan(PrefixSize));
        return stored;
    }

    private static void WritePrefix(Span<byte> destination, int database, ulong position)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)database);
        BinaryPrimitives.WriteUInt64BigEndian(destination[DatabasePrefixSize..], position);
    }

    private static byte[] DatabasePrefix(int database)
    {
        var prefix = new byte[DatabasePrefixSize];
        BinaryPrimitives.WriteUInt16BigEndian(prefix, (ushort)database);
        return prefix;
    }
}
