using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.Serialization;
using System.Text;

namespace ActorCache.Protocol;

/// <summary>Appends the wire format's primitives: little-endian integers, length-prefixed bytes and UTF-8 strings.</summary>
internal sealed class WireWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64);

    public void Byte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void Int32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void Int64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    /// <summary>A length (-1 for null) and the bytes.</summary>
    public void Bytes(byte[]? value)
    {
        if (value is null)
        {
            Int32(-1);
            return;
        }

        Int32(value.Length);
        value.CopyTo(_buffer.GetSpan(value.Length));
        _buffer.Advance(value.Length);
    }

    public void String(string value) => Bytes(Encoding.UTF8.GetBytes(value));

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}

/// <summary>
/// Reads the wire format's primitives with a bounds check on every read: malformed or truncated input gives a
/// <see cref="SerializationException"/> and nothing else.
/// </summary>
internal ref struct WireReader(ReadOnlySpan<byte> bytes)
{
    private ReadOnlySpan<byte> _rest = bytes;

    public bool AtEnd => _rest.IsEmpty;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _rest.Length;

    public byte Byte()
    {
        Require(1);
        var value = _rest[0];
        _rest = _rest[1..];
        return value;
    }

    public int Int32()
    {
        Require(4);
        var value = BinaryPrimitives.ReadInt32LittleEndian(_rest);
        _rest = _rest[4..];
        return value;
    }

    public long Int64()
    {
        Require(8);
        var value = BinaryPrimitives.ReadInt64LittleEndian(_rest);
        _rest = _rest[8..];
        return value;
    }

    /// <summary>A count that must be at least <paramref name="min"/> and fit in what is left (each item takes a byte at least).</summary>
    public int Count(int min = 0)
    {
        var count = Int32();
        if (count < min || count > _rest.Length) throw new SerializationException($"invalid count {count}");
        return count;
    }

    public byte[]? Bytes()
    {
        var length = Int32();
        if (length == -1) return null;
        if (length < 0) throw new SerializationException($"invalid length {length}");
        Require(length);
        var value = _rest[..length].ToArray();
        _rest = _rest[length..];
        return value;
    }

    public string String()
    {
        var bytes = Bytes() ?? throw new SerializationException("a string is null");
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new SerializationException("a string is not UTF-8", ex);
        }
    }

    public void End()
    {
        if (!_rest.IsEmpty) throw new SerializationException($"{_rest.Length} unexpected bytes after the message");
    }

    private readonly void Require(int count)
    {
        if (_rest.Length < count) throw new SerializationException("the message is truncated");
    }
}
