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
/// SCAN enumerates and sorts the database's files on every page: fine for the sizes this backend is meant for.
/// </remarks>
public sealed class FileDiskStore : IDiskStore
{
    /// <summary>The format version written after the magic of every key file.</summary>
    public const byte FileFormatVersion = 1;

    private const string TempSuffix = ".tmp";
    // A database folder being removed is renamed first, so a crash mid-delete never leaves half a database visible.
    private const string DeletingMarker = ".deleting-";
    private const int HashHexLength = 64;
    private const int HeaderSize = 4 + 1 + 4;
    private static readonly SearchValues<char> LowerHexDigits = SearchValues.Create("0123456789abcdef");
    private static ReadOnlySpan<byte> Magic => "ACFS"u8;

    private readonly string _root;
    private bool _disposed;

    /// <summary>
    /// Opens the store in <paramref name="directory"/>, creating the folder if needed, and removes what an interrupted
    /// save or database delete left behind.
    /// </summary>
    public FileDiskStore(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _root = Path.GetFullPath(directory);
        Directory.CreateDirectory(_root);
        Description = $"file at {_root}";
        RemoveLeftovers();
    }

    /// <inheritdoc />
    public string Description { get; }

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
            var path = KeyPath(database, write.Key);
            if (write.Value is null)
            {
                Delete(path);
            }
            else
            {
                Save(path, write.Key, write.Value);
            }
        }
    }

    /// <inheritdoc />
    public void DeleteDatabase(int database)
    {
        ThrowIfDisposed();
        DiskStoreFactory.CheckDatabase(database);

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

    private static bool IsKeyFileName(string name) =>
        name.Length == HashHexLength && !name.AsSpan().ContainsAnyExcept(LowerHexDigits);

    private static void Save(string path, byte[] key, byte[] value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + TempSuffix;
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            Span<byte> header = stackalloc byte[HeaderSize];
            Magic.CopyTo(header);
            header[4] = FileFormatVersion;
            BinaryPrimitives.WriteUInt32LittleEndian(header[5..], (uint)key.Length);
            stream.Write(header);
            stream.Write(key);
            stream.Write(value);
            // The rename below must never expose a file whose bytes are still only in the page cache.
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    private static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // Never saved: nothing to delete.
        }
    }

    private static byte[]? TryReadAll(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static byte[]? TryReadKey(string path)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        using (stream)
        {
            Span<byte> header = stackalloc byte[HeaderSize];
            var headerLength = stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
            var keyLength = CheckHeader(path, header[..headerLength], stream.Length);
            var key = new byte[keyLength];
            stream.ReadExactly(key);
            return key;
        }
    }

    private static (ReadOnlyMemory<byte> Key, ReadOnlyMemory<byte> Value) Parse(string path, byte[] content)
    {
        var keyLength = CheckHeader(path, content, content.Length);
        return (content.AsMemory(HeaderSize, keyLength), content.AsMemory(HeaderSize + keyLength));
    }

    /// <summary>Validates a key file's header and returns the length of the key that follows it.</summary>
    private static int CheckHeader(string path, ReadOnlySpan<byte> header, long fileLength)
    {
        if (header.Length < HeaderSize)
        {
            throw new CorruptRecordException($"Key file {path} is truncated: {fileLength} bytes, the header alone is {HeaderSize}.");
        }

        if (!header[..Magic.Length].SequenceEqual(Magic))
        {
            throw new CorruptRecordException($"Key file {path} does not start with the ACFS magic.");
        }

        if (header[4] != FileFormatVersion)
        {
            throw new CorruptRecordException(
                $"Key file {path} has unknown format version {header[4]}; this build reads version {FileFormatVersion}.");
        }

        var keyLength = BinaryPrimitives.ReadUInt32LittleEndian(header[5..]);
        if (keyLength > fileLength - HeaderSize)
        {
            throw new CorruptRecordException(
                $"Key file {path} is truncated: its key is {keyLength} bytes but only {fileLength - HeaderSize} follow the header.");
        }

        return (int)keyLength;
    }

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
