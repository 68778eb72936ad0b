namespace ActorCache.Storage;

/// <summary>Opens the <see cref="IDiskStore"/> that the <c>actor-cache.backend</c> setting names.</summary>
public static class DiskStoreFactory
{
    /// <summary>The backend name of <see cref="RocksDbDiskStore"/>, kept in the <c>rocksdb</c> sub-folder of the data folder.</summary>
    public const string RocksDbBackend = "rocksdb";

    /// <summary>The backend name of <see cref="FileDiskStore"/>, kept in the <c>files</c> sub-folder of the data folder.</summary>
    public const string FileBackend = "file";

    /// <summary>
    /// Database indexes a store accepts are 0 up to this value, exclusive. The RocksDB key prefix is two bytes and the
    /// prefix after a database's bounds its range, so the last two-byte value cannot be a database of its own.
    /// </summary>
    public const int MaxDatabases = ushort.MaxValue;

    /// <summary>Opens (creating it if needed) the store of <paramref name="backend"/> under <paramref name="dataDirectory"/>.</summary>
    /// <param name="backend"><see cref="RocksDbBackend"/> or <see cref="FileBackend"/>, in any case.</param>
    /// <param name="dataDirectory">The node's data folder; each backend uses its own sub-folder, so switching backends never mixes files.</param>
    /// <exception cref="ArgumentException"><paramref name="backend"/> is not a known backend.</exception>
    public static IDiskStore Open(string backend, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);

        if (string.Equals(backend, RocksDbBackend, StringComparison.OrdinalIgnoreCase))
        {
            return new RocksDbDiskStore(Path.Combine(dataDirectory, "rocksdb"));
        }

        if (string.Equals(backend, FileBackend, StringComparison.OrdinalIgnoreCase))
        {
            return new FileDiskStore(Path.Combine(dataDirectory, "files"));
        }

        throw new ArgumentException(
            $"Unknown disk store backend \"{backend}\"; valid backends are \"{RocksDbBackend}\" and \"{FileBackend}\".",
            nameof(backend));
    }

    internal static void CheckDatabase(int database)
    {
        if ((uint)database >= MaxDatabases)
        {
            throw new ArgumentOutOfRangeException(
                nameof(database), database, $"A database index must be between 0 and {MaxDatabases - 1}.");
        }
    }
}
