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
    /// <param name="syncWrites">
    /// Every write is flushed to the device before it returns (RocksDB: its write-ahead log synced per batch; file
    /// store: the key's folder after the rename too), so acknowledged saves survive a power loss: write-through.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="backend"/> is not a known backend.</exception>
    public static IDiskStore Open(string backend, string dataDirectory, bool syncWrites = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var folder = Path.Combine(dataDirectory, SubFolder(backend));
        InterruptedCopies.Recover(dataDirectory, folder);
        return IsRocksDb(backend) ? new RocksDbDiskStore(folder, syncWrites) : new FileDiskStore(folder, syncWrites);
    }

    /// <summary>
    /// Replaces the store of <paramref name="backend"/> under <paramref name="dataDirectory"/> with a copy of the snapshot
    /// in <paramref name="snapshotDirectory"/> (as <see cref="IDiskStore.CreateSnapshot"/> writes it: the backend's folder
    /// content directly). The copy is made beside the store and renamed into place, so a failed restore leaves the old
    /// store as it was. Call it while no store is open on the folder; the snapshot itself is left untouched.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// <paramref name="backend"/> is not a known backend, the folder is not a snapshot of that backend, or it is the
    /// store's own folder (or inside it).
    /// </exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="snapshotDirectory"/> does not exist.</exception>
    public static void Restore(string backend, string snapshotDirectory, string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(snapshotDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var target = Path.GetFullPath(Path.Combine(dataDirectory, SubFolder(backend)));
        var snapshot = Path.GetFullPath(snapshotDirectory);
        if (!Directory.Exists(snapshot))
        {
            throw new DirectoryNotFoundException($"The snapshot folder {snapshot} does not exist.");
        }

        var name = IsRocksDb(backend) ? RocksDbBackend : FileBackend;
        var looksLikeRocksDb = File.Exists(Path.Combine(snapshot, "CURRENT"));
        var looksLikeFiles = File.Exists(Path.Combine(snapshot, FileDiskStore.FormatFileName));
        if (IsRocksDb(backend) ? !looksLikeRocksDb : looksLikeRocksDb || !looksLikeFiles)
        {
            var expected = IsRocksDb(backend) ? "CURRENT file (a RocksDB checkpoint has one)" : $"{FileDiskStore.FormatFileName} file";
            // No parameter name: the message is shown to operators as it is (the server's --restore).
            throw new ArgumentException($"{snapshot} is not a snapshot of the {name} store: it holds no {expected}.");
        }

        if (IsInside(snapshot, target) || IsInside(target, snapshot))
        {
            throw new ArgumentException($"The snapshot {snapshot} overlaps the store folder {target} it would replace.");
        }

        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        InterruptedCopies.Recover(dataDirectory, target);
        var incoming = target + InterruptedCopies.RestoringMarker + Guid.NewGuid().ToString("N");
        FolderCopy.Copy(snapshot, incoming);
        if (Directory.Exists(target))
        {
            // Moved aside rather than deleted first, so the old store is never half gone while the new one is not there yet.
            var replaced = target + InterruptedCopies.ReplacedMarker + Guid.NewGuid().ToString("N");
            Directory.Move(target, replaced);
            Directory.Move(incoming, target);
            FolderCopy.TryDelete(replaced);
        }
        else
        {
            Directory.Move(incoming, target);
        }

        DirectorySync.Flush(parent);
    }

    /// <summary>The full path of a new snapshot folder, whose parent is created; throws if it exists already.</summary>
    internal static string CheckNewSnapshotFolder(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var destination = Path.GetFullPath(directory);
        if (Directory.Exists(destination) || File.Exists(destination))
        {
            throw new IOException($"Cannot create a snapshot in {destination}: it exists already.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        return destination;
    }

    private static bool IsRocksDb(string backend) => string.Equals(backend, RocksDbBackend, StringComparison.OrdinalIgnoreCase);

    /// <summary>Each backend keeps its own sub-folder of the data folder, so switching backends never mixes files.</summary>
    private static string SubFolder(string backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        if (IsRocksDb(backend))
        {
            return "rocksdb";
        }

        if (string.Equals(backend, FileBackend, StringComparison.OrdinalIgnoreCase))
        {
            return "files";
        }

        throw new ArgumentException(
            $"Unknown disk store backend \"{backend}\"; valid backends are \"{RocksDbBackend}\" and \"{FileBackend}\".",
            nameof(backend));
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> or lies under it.</summary>
    internal static bool IsInside(string path, string folder)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
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
