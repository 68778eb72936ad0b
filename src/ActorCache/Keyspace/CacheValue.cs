using ActorCache.Storage;

namespace ActorCache.Keyspace;

/// <summary>
/// A value held in memory. Values are immutable once stored: a save job carries the reference to the IO thread
/// and encodes it there, so a command that changes a value replaces it with a new instance.
/// </summary>
internal abstract class CacheValue
{
    public abstract ValueKind Kind { get; }

    /// <summary>The Redis TYPE name.</summary>
    public abstract string TypeName { get; }

    /// <summary>The bytes that represent this value in its disk record.</summary>
    public abstract byte[] ToPayload();

    /// <summary>What this value costs in memory: its objects with their headers (see <see cref="Database.SizeOf"/>).</summary>
    public abstract long EstimatedBytes { get; }

    /// <summary>Rebuilds a value from a decoded record.</summary>
    /// <exception cref="CorruptRecordException">The payload does not fit its kind.</exception>
    public static CacheValue FromRecord(StoredRecord record) => record.Kind switch
    {
        ValueKind.String => new StringValue(record.Payload),
        _ => throw new CorruptRecordException($"unknown value kind {(byte)record.Kind}"),
    };
}

/// <summary>A Redis string.</summary>
internal sealed class StringValue(byte[] bytes) : CacheValue
{
    public byte[] Bytes { get; } = bytes;

    public override ValueKind Kind => ValueKind.String;

    public override string TypeName => "string";

    public override byte[] ToPayload() => Bytes;

    /// <summary>This object (header and method table 16, the array reference 8) and the array (header and length 24, data).</summary>
    public override long EstimatedBytes => 24 + 24 + Database.ArrayData(Bytes.Length);
}
