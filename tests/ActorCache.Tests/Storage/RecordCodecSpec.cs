using ActorCache.Storage;
using CsCheck;
using Xunit;

namespace ActorCache.Tests.Storage;

public sealed class RecordCodecSpec
{
    // Written once from the documented layout (and cross-checked with an independent CRC-32): if this changes, the
    // format changed and records already on disk would no longer read. Add a new version instead.
    private const string PinnedHelloRecord = "01010068E5CF8B010000050000002788296568656C6C6F";

    private static readonly Gen<StoredRecord> GenRecord =
        Gen.Select(Gen.Enum<ValueKind>(), Gen.Long[0, long.MaxValue], Gen.Byte.Array[0, 600])
            .Select(t => new StoredRecord(t.Item1, t.Item2, t.Item3));

    private static byte[] Hello() => RecordCodec.Encode(new StoredRecord(ValueKind.String, 1700000000000, "hello"u8.ToArray()));

    [Fact]
    public void Format_v1_bytes_are_pinned()
    {
        Assert.Equal(PinnedHelloRecord, Convert.ToHexString(Hello()));
    }

    [Fact]
    public void Pinned_bytes_decode_to_the_original_record()
    {
        var record = RecordCodec.Decode(Convert.FromHexString(PinnedHelloRecord));

        Assert.Equal(ValueKind.String, record.Kind);
        Assert.Equal(1700000000000, record.ExpireAtUnixMs);
        Assert.Equal("hello"u8.ToArray(), record.Payload);
    }

    [Fact]
    public void Any_record_round_trips()
    {
        GenRecord.Sample(record =>
        {
            var encoded = RecordCodec.Encode(record);
            var decoded = RecordCodec.Decode(encoded);

            Assert.Equal(record.Kind, decoded.Kind);
            Assert.Equal(record.ExpireAtUnixMs, decoded.ExpireAtUnixMs);
            Assert.Equal(record.Payload, decoded.Payload);
            Assert.Equal(record.ExpireAtUnixMs, RecordCodec.ReadExpiry(encoded));
        });
    }

    [Fact]
    public void Empty_payload_and_no_expiry_round_trip()
    {
        var decoded = RecordCodec.Decode(RecordCodec.Encode(new StoredRecord(ValueKind.String, 0, [])));

        Assert.Equal(0, decoded.ExpireAtUnixMs);
        Assert.Empty(decoded.Payload);
    }

    [Fact]
    public void Truncated_input_at_every_length_throws_CorruptRecordException()
    {
        var bytes = Hello();
        for (var length = 0; length < bytes.Length; length++)
        {
            var truncated = bytes[..length];
            Assert.Throws<CorruptRecordException>(() => RecordCodec.Decode(truncated));
            Assert.Throws<CorruptRecordException>(() => RecordCodec.ReadExpiry(truncated));
        }
    }

    [Fact]
    public void Trailing_bytes_throw_CorruptRecordException()
    {
        byte[] longer = [.. Hello(), 0];

        var error = Assert.Throws<CorruptRecordException>(() => RecordCodec.Decode(longer));
        Assert.Contains("length", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Any_single_flipped_byte_throws_CorruptRecordException()
    {
        var bytes = Hello();
        for (var index = 0; index < bytes.Length; index++)
        {
            foreach (var mask in new byte[] { 0x01, 0x10, 0x80, 0xFF })
            {
                var damaged = (byte[])bytes.Clone();
                damaged[index] ^= mask;
                Assert.Throws<CorruptRecordException>(() => RecordCodec.Decode(damaged));
            }
        }
    }

    [Fact]
    public void Random_damage_to_random_records_throws_only_CorruptRecordException()
    {
        Gen.Select(GenRecord, Gen.Int[0, int.MaxValue], Gen.Byte[1, 255]).Sample((record, at, mask) =>
        {
            var damaged = RecordCodec.Encode(record);
            damaged[at % damaged.Length] ^= mask;
            Assert.Throws<CorruptRecordException>(() => RecordCodec.Decode(damaged));
        });
    }

    [Fact]
    public void Random_bytes_decode_or_throw_CorruptRecordException_never_anything_else()
    {
        Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            try
            {
                RecordCodec.Decode(bytes);
            }
            catch (CorruptRecordException)
            {
            }
        });
    }

    [Fact]
    public void Unknown_version_is_named_in_the_error()
    {
        var bytes = Hello();
        bytes[0] = 2;

        var error = Assert.Throws<CorruptRecordException>(() => RecordCodec.Decode(bytes));
        Assert.Contains("version 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_kind_is_named_in_the_error()
    {
        var bytes = Hello();
        bytes[1] = 99;

        var error = Assert.Throws<CorruptRecordException>(() => RecordCodec.Decode(bytes));
        Assert.Contains("kind 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Checksum_mismatch_is_named_in_the_error()
    {
        var bytes = Hello();
        bytes[^1] ^= 1;

        var error = Assert.Throws<CorruptRecordException>(() => RecordCodec.Decode(bytes));
        Assert.Contains("checksum", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ReadExpiry_skips_the_checksum_but_not_the_header()
    {
        var bytes = Hello();
        bytes[^1] ^= 1;
        Assert.Equal(1700000000000, RecordCodec.ReadExpiry(bytes));

        bytes[0] = 9;
        Assert.Throws<CorruptRecordException>(() => RecordCodec.ReadExpiry(bytes));
    }

    [Fact]
    public void Encode_rejects_what_it_could_not_decode()
    {
        Assert.Throws<ArgumentException>(() => RecordCodec.Encode(new StoredRecord((ValueKind)99, 0, [])));
        Assert.Throws<ArgumentException>(() => RecordCodec.Encode(new StoredRecord(ValueKind.String, -1, [])));
        Assert.Throws<ArgumentException>(() => RecordCodec.Encode(default));
    }
}
