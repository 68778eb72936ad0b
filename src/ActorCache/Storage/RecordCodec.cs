using System.Buffers.Binary;
using System.IO.Hashing;

namespace ActorCache.Storage;

/// <summary>
/// Encodes and decodes the value records kept by an <see cref="IDiskStore"/>.
/// </summary>
/// <remarks>
/// Format version 1, all integers little-endian:
/// <list type="table">
///   <listheader><term>bytes</term><description>content</description></listheader>
///   <item><term>0</term><description>format version, 1</description></item>
///   <item><term>1</term><description><see cref="ValueKind"/> code</description></item>
///   <item><term>2..9</term><description>absolute expiry as int64 Unix milliseconds; 0 = no expiry</description></item>
///   <item><term>10..13</term><description>payload length as uint32</description></item>
///   <item><term>14..17</term><description>CRC-32 (<see cref="Crc32"/>) of bytes 0..13 followed by the payload</description></item>
///   <item><term>18..</term><description>the payload, exactly as long as bytes 10..13 say</description></item>
/// </list>
/// The layout is persisted: change it only by adding a new version that <see cref="Decode"/> still reads next to this one.
/// </remarks>
public static class RecordCodec
{
    /// <summary>The format version that <see cref="Encode"/> writes.</summary>
    public const byte FormatVersion = 1;

    /// <summary>Bytes before the payload.</summary>
    public const int HeaderSize = 18;

    private const int VersionOffset = 0;
    private const int KindOffset = 1;
    private const int ExpiryOffset = 2;
    private const int LengthOffset = 10;
    private const int ChecksumOffset = 14;

    /// <summary>Encodes <paramref name="record"/> in the current format.</summary>
    /// <exception cref="ArgumentException">The kind is unknown, the expiry is negative or the payload is missing or too large.</exception>
    public static byte[] Encode(StoredRecord record)
    {
        // default(StoredRecord) carries a null payload despite the annotation.
        if (record.Payload is null)
        {
            throw new ArgumentException("The record has no payload.", nameof(record));
        }

        if (!Enum.IsDefined(record.Kind))
        {
            throw new ArgumentException($"Unknown value kind {(byte)record.Kind}.", nameof(record));
        }

        if (record.ExpireAtUnixMs < 0)
        {
            throw new ArgumentException($"Negative expiry {record.ExpireAtUnixMs}.", nameof(record));
        }

        if (record.Payload.Length > Array.MaxLength - HeaderSize)
        {
            throw new ArgumentException($"Payload of {record.Payload.Length} bytes is too large for one record.", nameof(record));
        }

        var bytes = new byte[HeaderSize + record.Payload.Length];
        bytes[VersionOffset] = FormatVersion;
        bytes[KindOffset] = (byte)record.Kind;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(ExpiryOffset), record.ExpireAtUnixMs);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(LengthOffset), (uint)record.Payload.Length);
        record.Payload.CopyTo(bytes.AsSpan(HeaderSize));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(ChecksumOffset), Checksum(bytes));
        return bytes;
    }

    /// <summary>Decodes a record written by <see cref="Encode"/>, verifying its header, length and checksum.</summary>
    /// <exception cref="CorruptRecordException">The bytes are not a valid record.</exception>
    public static StoredRecord Decode(ReadOnlySpan<byte> bytes)
    {
        var (kind, expiry) = ValidateHeader(bytes);
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes[ChecksumOffset..]);
        var actual = Checksum(bytes);
        if (stored != actual)
        {
            throw new CorruptRecordException($"Record checksum mismatch: stored 0x{stored:x8}, computed 0x{actual:x8}.");
        }

        return new StoredRecord(kind, expiry, bytes[HeaderSize..].ToArray());
    }

    /// <summary>
    /// Reads only the expiry (0 = none) of an encoded record. It checks the header and the length but not the checksum,
    /// so a scan can skip expired keys without hashing every payload; <see cref="Decode"/> still verifies what is used.
    /// </summary>
    /// <exception cref="CorruptRecordException">The header is not valid or the length does not match.</exception>
    public static long ReadExpiry(ReadOnlySpan<byte> bytes) => ValidateHeader(bytes).Expiry;

    private static (ValueKind Kind, long Expiry) ValidateHeader(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderSize)
        {
            throw new CorruptRecordException($"Record truncated: {bytes.Length} bytes, the header alone is {HeaderSize}.");
        }

        var version = bytes[VersionOffset];
        if (version != FormatVersion)
        {
            throw new CorruptRecordException($"Unknown record format version {version}; this build reads version {FormatVersion}.");
        }

        var kind = (ValueKind)bytes[KindOffset];
        if (!Enum.IsDefined(kind))
        {
            throw new CorruptRecordException($"Unknown value kind {(byte)kind} in record.");
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[LengthOffset..]);
        if (length != (ulong)(bytes.Length - HeaderSize))
        {
            throw new CorruptRecordException(
                $"Record length mismatch: header says {length} payload bytes, {bytes.Length - HeaderSize} are present.");
        }

        var expiry = BinaryPrimitives.ReadInt64LittleEndian(bytes[ExpiryOffset..]);
        if (expiry < 0)
        {
            throw new CorruptRecordException($"Record has a negative expiry {expiry}.");
        }

        return (kind, expiry);
    }

    private static uint Checksum(ReadOnlySpan<byte> record)
    {
        var crc = new Crc32();
        crc.Append(record[..ChecksumOffset]);
        crc.Append(record[HeaderSize..]);
        return crc.GetCurrentHashAsUInt32();
    }
}
