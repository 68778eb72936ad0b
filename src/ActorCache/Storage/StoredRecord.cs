namespace ActorCache.Storage;

/// <summary>The type of a value, as stored in its record. Codes are part of the on-disk format: never reuse one.</summary>
public enum ValueKind : byte
{
    /// <summary>A Redis string: any bytes.</summary>
    String = 1,
}

/// <summary>A decoded disk record: the value's kind, its absolute expiry (0 = none) and its payload bytes.</summary>
public readonly record struct StoredRecord(ValueKind Kind, long ExpireAtUnixMs, byte[] Payload);

/// <summary>Thrown when a stored record cannot be decoded (bad version, bad checksum, truncated).</summary>
public sealed class CorruptRecordException(string message) : Exception(message);
