using System.Buffers.Binary;

namespace ActorCache.Storage;

// One key file: written to a temp file, flushed, renamed over the old one; read back and checked against the format
// (magic, version, key length), so a damaged file is a CorruptRecordException for its key only.
public sealed partial class FileDiskStore
{
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
}
