using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace ActorCache.Storage;

/// <summary>
/// The seed's layout: one file per key. A key lives in <c>db{N}/xx/yy/{sha256}</c>, where <c>{sha256}</c> is the
/// lower-case hex SHA-256 of the key and <c>xx</c>, <c>yy</c> are its first two bytes, so any binary key gets a valid,
/// fixed-length file name and no folder grows too large.
/// </summary>
/// <remarks>
/// File format version 1: the 4 ASCII bytes <c>ACFS</c>, 1 byte format version (1), the key length as a little-endian
/// uint32, the key bytes, then the value bytes (a <see cref="RecordCodec"/> record) to the end of the file.
/// The key is stored because the file name cannot be turned back into it, and SCAN must return it.
/// Each put writes <c>{name}.tmp</c>, flushes it to the device, then renames it over the old file, so a crash leaves either
/// the old or the new value, never a torn one; stray temp files are removed when the store opens.
/// A write of several keys is atomic: its puts and deletes first go to one journal (<c>batch.journal</c>, see
/// <see cref="FileStoreJournal"/>), flushed with its folder before any key file changes. The key files are then
/// written, their folders flushed, and the journal deleted. A complete journal found at open (a crash in between) is
/// replayed, which is idempotent; a torn one is discarded, since none of its writes had started. A write that fails
/// half-way leaves its journal, which the next write, delete or snapshot replays first.
/// The root also holds <c>FORMAT</c>, which names the layout, so a snapshot of this store can be told from another.
/// SCAN enumerates and sorts the database's files on every page: fine for the sizes this backend is meant for.
/// </remarks>
public sealed partial class FileDiskStore : IDiskStore
{
    /// <summary>The format version written after the magic of every key file.</summary>
    public const byte FileFormatVersion = 1;

    /// <summary>The file in the store's root that names the layout; a snapshot of this store holds it too.</summary>
    public const string FormatFileName = "FORMAT";

    private const string FormatFileContent = "ActorCache file store, format 1\n";
    private const string TempSuffix = ".tmp";
    // A database folder being removed is renamed first, so a crash mid-delete never leaves half a database visible.
    private const string DeletingMarker = ".deleting-";
    private const int HashHexLength = 64;
    private const int HeaderSize = 4 + 1 + 4;
    private static readonly SearchValues<char> LowerHexDigits = SearchValues.Create("0123456789abcdef");
    private static ReadOnlySpan<byte> Magic => "ACFS"u8;

    private readonly string _root;
    private readonly string _journalPath;
    private readonly bool _syncWrites;
    private bool _journalPending;
    private bool _disposed;

    /// <summary>
    /// Opens the store in <paramref name="directory"/>, creating the folder if needed, removes what an interrupted
    /// save or database delete left behind, and finishes (or discards, if torn) an interrupted write of several keys.
    /// </summary>
    /// <param name="directory">The store's folder.</param>
    /// <param name="syncWrites">
    /// When true, a single-key write also flushes its folder after the rename, so it survives a power loss once
    /// <see cref="Write"/> returns (write-through); the key file itself is always flushed before the rename.
    /// </param>
    /// <exception cref="CorruptRecordException">A complete journal is in a format this build cannot read.</exception>
    public FileDiskStore(string directory, bool syncWrites = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _syncWrites = syncWrites;
        _root = Path.GetFullPath(directory);
        _journalPath = Path.Combine(_root, FileStoreJournal.FileName);
        Directory.CreateDirectory(_root);
        Description = $"file at {_root}" + (syncWrites ? ", every write synced" : "");
        RemoveLeftovers();
        WriteFormatFile();
        if (File.Exists(_journalPath))
        {
            var replayed = ReplayJournal();
            ReplayedJournalWrites = Math.Max(replayed, 0);
            DiscardedTornJournal = replayed < 0;
        }
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>How many puts and deletes an interrupted write of several keys left in its journal and the opening replayed; 0 if none.</summary>
    public int ReplayedJournalWrites { get; }

    /// <summary>True when the opening found a torn journal (a crash while it was written) and discarded it.</summary>
    public bool DiscardedTornJournal { get; }

    /// <summary>Test hook: called with a write's index just before it is applied, after the journal (if any) is on disk.</summary>
    internal Action<int>? BeforeApplyingWrite { get; set; }

    /// <inheritdoc />
    public IReadOnlyList<byte[]?> MultiGet(int database, IReadOnlyList<byte[]> keys)
    {
        ThrowIfDisposed();
        DiskStoreFactory.CheckDatabase(database);
        ArgumentNullException.ThrowIfNull(keys);

        var values = new byte[]?[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(keys[i]);
            var path = KeyPath(database, keys[i]);
            var content = TryReadAll(path);
            if (content is null)
            {
                continue;
            }

            var (storedKey, value) = Parse(path, content);
            if (!storedKey.Span.SequenceEqual(keys[i]))
            {
                throw new CorruptRecordException($"Key file {path} holds a different key than the one its name was derived from.");
            }

            values[i] = value.ToArray();
        }

        return values;
    }

    /// <inheritdoc />
    public void Write(int database, IReadOnlyList<StoreWrite> writes)
    {
        ThrowIfDisposed();
        DiskStoreFactory.CheckDatabase(database);
        ArgumentNullException.ThrowIfNull(writes);
        foreach (var write in writes)
        {
            ArgumentNullException.ThrowIfNull(write.Key);
        }

        FinishPendingJournal();
        if (writes.Count <= 1)
        {
            // One rename is atomic by itself; its folder is flushed only when writes must survive a power loss.
            Apply(database, writes, flushFolders: _syncWrites);
            return;
        }

        try
        {
            FileStoreJournal.Write(_journalPath, database, writes);
        }
        catch
        {
            // Nothing was applied; a journal torn by this failure would be discarded at open anyway.
            TryDeleteFile(_journalPath);
            throw;
        }

        _journalPending = true;
        DirectorySync.Flush(_root);
        Apply(database, writes, flushFolders: true);
        DeleteJournal();
    }

    /// <summary>
    /// Copies the store's folder tree into <paramref name="directory"/> (created here; it must not exist), without temp
    /// files or a journal: an interrupted write of several keys is finished first, so the copy holds whole batches only.
    /// </summary>
    /// <exception cref="IOException"><paramref name="directory"/> exists already, or the copy fails.</exception>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is inside the store's own folder.</exception>
    public void CreateSnapshot(string directory)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (DiskStoreFactory.IsInside(Path.GetFullPath(directory), _root))
        {
            throw new ArgumentException($"A snapshot of {_root} cannot be taken inside it ({Path.GetFullPath(directory)}).", nameof(directory));
        }

        var destination = DiskStoreFactory.CheckNewSnapshotFolder(directory);
        FinishPendingJournal();
        FolderCopy.Copy(
            _root,
            destination,
            include: static file => !file.EndsWith(TempSuffix, StringComparison.Ordinal)
                && Path.GetFileName(file) != FileStoreJournal.FileName,
            includeFolder: static folder => !Path.GetFileName(folder).Contains(DeletingMarker, StringComparison.Ordinal));
    }

    /// <inheritdoc />
    public void DeleteDatabase(int database)
    {
        ThrowIfDisposed();
        DiskStoreFactory.CheckDatabase(database);
        FinishPendingJournal();

        var folder = DatabaseFolder(database);
        if (!Directory.Exists(folder))
        {
            return;
        }

        var doomed = folder + DeletingMarker + Guid.NewGuid().ToString("N");
        Directory.Move(folder, doomed);
        Directory.Delete(doomed, recursive: true);
    }

    /// <inheritdoc />
    public StoreScanPage Scan(int database, ulong cursor, int count)
    {
        ThrowIfDisposed();
        DiskStoreFactory.CheckDatabase(database);
        // With zero entries allowed, a page could return nothing yet name position 0 as the next cursor: ambiguous with "done".
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);

        var folder = DatabaseFolder(database);
        if (!Directory.Exists(folder))
        {
            return new StoreScanPage([], 0);
        }

        // Keys only at first: values are read for the page's entries alone, not for the whole database.
        var candidates = new List<(ulong Position, byte[] Key, string Path)>();
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            if (!IsKeyFileName(Path.GetFileName(path)))
            {
                continue;
            }

            var key = TryReadKey(path);
            if (key is null)
            {
                continue;
            }

            var position = KeyHash.ScanPosition(key);
            if (position >= cursor)
            {
                candidates.Add((position, key, path));
            }
        }

        // Same order as the RocksDB store: by position, then bytewise by key.
        candidates.Sort(static (a, b) =>
        {
            var byPosition = a.Position.CompareTo(b.Position);
            return byPosition != 0 ? byPosition : a.Key.AsSpan().SequenceCompareTo(b.Key);
        });

        var entries = new List<StoreEntry>(Math.Min(count, candidates.Count));
        ulong nextCursor = 0;
        for (var i = 0; i < candidates.Count; i++)
        {
            var (position, key, path) = candidates[i];
            if (entries.Count >= count && position != candidates[i - 1].Position)
            {
                nextCursor = position;
                break;
            }

            var content = TryReadAll(path);
            if (content is not null)
            {
                entries.Add(new StoreEntry(key, Parse(path, content).Value.ToArray()));
            }
        }

        return new StoreScanPage(entries, nextCursor);
    }

    /// <summary>Marks the store closed; it holds no open files between calls.</summary>
    public void Dispose() => _disposed = true;

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private string DatabaseFolder(int database) => Path.Combine(_root, "db" + database.ToString(CultureInfo.InvariantCulture));

    private string KeyPath(int database, byte[] key)
    {
        var name = Convert.ToHexStringLower(SHA256.HashData(key));
        return Path.Combine(DatabaseFolder(database), name[..2], name[2..4], name);
    }

    /// <summary>Applies each write in order; with <paramref name="flushFolders"/>, the renames are on the device when it returns.</summary>
    private void Apply(int database, IReadOnlyList<StoreWrite> writes, bool flushFolders)
    {
        var folders = flushFolders ? new HashSet<string>(StringComparer.Ordinal) : null;
        for (var i = 0; i < writes.Count; i++)
        {
            BeforeApplyingWrite?.Invoke(i);
            var write = writes[i];
            var path = KeyPath(database, write.Key);
            if (write.Value is null)
            {
                Delete(path);
            }
            else
            {
                Save(path, write.Key, write.Value);
            }

            folders?.Add(Path.GetDirectoryName(path)!);
        }

        foreach (var folder in folders ?? [])
        {
            // A delete of a key never saved has no folder to flush.
            if (Directory.Exists(folder))
            {
                DirectorySync.Flush(folder);
            }
        }
    }

    /// <summary>Replays the journal a failed write left behind, before anything else changes the store.</summary>
    private void FinishPendingJournal()
    {
        if (_journalPending)
        {
            ReplayJournal();
        }
    }

    /// <summary>Applies the journal's batch and deletes it; returns the number of writes, or -1 if it was torn and discarded.</summary>
    private int ReplayJournal()
    {
        var batch = FileStoreJournal.Read(_journalPath);
        if (batch is not null)
        {
            DiskStoreFactory.CheckDatabase(batch.Database);
            Apply(batch.Database, batch.Writes, flushFolders: true);
        }

        DeleteJournal();
        return batch?.Writes.Count ?? -1;
    }

    /// <summary>
    /// The deletion must reach the device before any later write: a journal that came back after a crash would replay
    /// its old values over the later ones.
    /// </summary>
    private void DeleteJournal()
    {
        File.Delete(_journalPath);
        DirectorySync.Flush(_root);
        _journalPending = false;
    }

    private void WriteFormatFile()
    {
        var path = Path.Combine(_root, FormatFileName);
        if (!File.Exists(path))
        {
            File.WriteAllText(path, FormatFileContent);
        }
    }

    private static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The caller rethrows the failure that matters.
        }
    }

    private static bool IsKeyFileName(string name) =>
        name.Length == HashHexLength && !name.AsSpan().ContainsAnyExcept(LowerHexDigits);

    private void RemoveLeftovers()
    {
        foreach (var folder in Directory.EnumerateDirectories(_root, "db*" + DeletingMarker + "*", SearchOption.TopDirectoryOnly))
        {
            Directory.Delete(folder, recursive: true);
        }

        foreach (var temp in Directory.EnumerateFiles(_root, "*" + TempSuffix, SearchOption.AllDirectories))
        {
            File.Delete(temp);
        }
    }
}
