using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace ActorCache.Storage;

/// <summary>One database's puts and deletes, as a <see cref="FileDiskStore"/> journal holds them.</summary>
internal sealed record JournalBatch(int Database, IReadOnlyList<StoreWrite> Writes);

/// <summary>
/// The journal that makes a <see cref="FileDiskStore"/> write of several keys atomic: the whole batch is written to one
/// file and flushed to the device before any key file changes, so after a crash either the journal is complete (and
/// the store replays it at open) or it is torn (and none of its writes had started).
/// </summary>
/// <remarks>
/// Format version 1, integers little-endian: the 4 ASCII bytes <c>ACFJ</c>, 1 byte format version (1), the body
/// length as int64, the CRC-32 of the body as uint32, then the body: the database as int32, the number of writes as
/// int32, and each write as 1 byte (1 = put, 0 = delete), the key length as int32, the key, and for a put the value
/// length as int32 and the value. A file shorter or longer than its header says, or whose body does not match the
/// checksum, is torn. The key file each write targets is derived from the database and the key, as for any write.
/// </remarks>
internal static class FileStoreJournal
{
    /// <summary>The journal's name in the store's root folder.</summary>
    public const string FileName = "batch.journal";

    /// <summary>The format version written after the magic.</summary>
    public const byte FormatVersion = 1;

    private const int HeaderSize = 4 + 1 + 8 + 4;
    private const byte PutTag = 1;
    private const byte DeleteTag = 0;
    private static ReadOnlySpan<byte> Magic => "ACFJ"u8;

    /// <summary>Writes the journal of <paramref name="writes"/> to <paramref name="path"/> and flushes it to the device.</summary>
    public static void Write(string path, int database, IReadOnlyList<StoreWrite> writes)
    {
        var body = new ArrayBufferWriter<byte>(EstimateBodySize(writes));
        WriteInt32(body, database);
        WriteInt32(body, writes.Count);
        foreach (var write in writes)
        {
            body.Write([write.Value is null ? DeleteTag : PutTag]);
            WriteInt32(body, write.Key.Length);
            body.Write(write.Key);
            if (write.Value is not null)
            {
                WriteInt32(body, write.Value.Length);
                body.Write(write.Value);
            }
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        Magic.CopyTo(header);
        header[4] = FormatVersion;
        BinaryPrimitives.WriteInt64LittleEndian(header[5..], body.WrittenCount);
        BinaryPrimitives.WriteUInt32LittleEndian(header[13..], Crc32.HashToUInt32(body.WrittenSpan));

        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        stream.Write(header);
        stream.Write(body.WrittenSpan);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Reads the journal at <paramref name="path"/>; null when it is torn (its batch never started).</summary>
    /// <exception cref="CorruptRecordException">
    /// The journal is complete but cannot be understood: a newer format, or a body that passes its checksum yet does not
    /// parse. Its batch may have been applied in part, so the store refuses to open rather than guess.
    /// </exception>
    public static JournalBatch? Read(string path)
    {
        var content = File.ReadAllBytes(path);
        if (content.Length < HeaderSize || !content.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            return null;
        }

        var bodyLength = BinaryPrimitives.ReadInt64LittleEndian(content.AsSpan(5));
        if (bodyLength != content.Length - HeaderSize)
        {
            return null;
        }

        var body = content.AsSpan(HeaderSize);
        if (BinaryPrimitives.ReadUInt32LittleEndian(content.AsSpan(13)) != Crc32.HashToUInt32(body))
        {
            return null;
        }

        if (content[4] != FormatVersion)
        {
            throw new CorruptRecordException(
                $"Journal {path} has unknown format version {content[4]}; this build reads version {FormatVersion}.");
        }

        return Parse(path, body);
    }

    private static JournalBatch Parse(string path, ReadOnlySpan<byte> body)
    {
        var reader = new SpanReader(path, body);
        var database = reader.Int32();
        var count = reader.Int32();
        if (count < 0)
        {
            throw Malformed(path, $"a negative write count {count}");
        }

        var writes = new List<StoreWrite>(Math.Min(count, 4096));
        for (var i = 0; i < count; i++)
        {
            var tag = reader.Bytes(1)[0];
            var key = reader.Bytes(reader.Int32()).ToArray();
            var value = tag switch
            {
                PutTag => reader.Bytes(reader.Int32()).ToArray(),
                DeleteTag => null,
                _ => throw Malformed(path, $"unknown write tag {tag}"),
            };
            writes.Add(new StoreWrite(key, value));
        }

        if (!reader.AtEnd)
        {
            throw Malformed(path, "bytes after its last write");
        }

        return new JournalBatch(database, writes);
    }

    private static int EstimateBodySize(IReadOnlyList<StoreWrite> writes)
    {
        long size = 8;
        foreach (var write in writes)
        {
            size += 1 + 4 + write.Key.Length + (write.Value is null ? 0 : 4 + write.Value.Length);
        }

        return (int)Math.Min(size, Array.MaxLength);
    }

    private static void WriteInt32(ArrayBufferWriter<byte> writer, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }

    private static CorruptRecordException Malformed(string path, string what) =>
        new($"Journal {path} passes its checksum but holds {what}.");

    /// <summary>Reads the body front to back; running past its end means it is malformed.</summary>
    private ref struct SpanReader(string path, ReadOnlySpan<byte> span)
    {
        private ReadOnlySpan<byte> _rest = span;

        public readonly bool AtEnd => _rest.IsEmpty;

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Bytes(4));

        public ReadOnlySpan<byte> Bytes(int length)
        {
            if (length < 0 || length > _rest.Length)
            {
                throw Malformed(path, $"a length of {length} where {_rest.Length} bytes are left");
            }

            var taken = _rest[..length];
            _rest = _rest[length..];
            return taken;
        }
    }
}
