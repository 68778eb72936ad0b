using System.Runtime.Serialization;
using ActorCache.Protocol;
using ActorCache.Settings;
using Akka.Actor;
using Xunit;

namespace ActorCache.Tests.Protocol;

/// <summary>The wire format: every message round-trips, and malformed bytes only ever give a SerializationException.</summary>
public sealed class ProtocolSerializerSpec() : Akka.TestKit.Xunit2.TestKit(CacheSettings.DefaultConfig)
{
    private ProtocolSerializer Serializer => (ProtocolSerializer)Sys.Serialization.FindSerializerFor(GetKeyspaces.Instance);

    public static TheoryData<object> Messages => new()
    {
        new CacheRequest(42, 3, ["SET"u8.ToArray(), [0, 255, 10], []]),
        new CacheRequest(-1, 0, []),
        new CacheReply(7, RedisReply.Ok),
        new CacheReply(8, RedisReply.Error("WRONGTYPE Operation against a key holding the wrong kind of value")),
        new CacheReply(9, RedisReply.Integer(long.MinValue)),
        new CacheReply(10, RedisReply.Nil),
        new CacheReply(11, RedisReply.Bulk([0, 1, 2])),
        new CacheReply(12, RedisReply.NilArray),
        new CacheReply(13, new ArrayReply([RedisReply.Bulk("0"), new ArrayReply([RedisReply.Bulk("k"), RedisReply.Nil]), RedisReply.EmptyArray])),
        new CacheReply(14, new MapReply([(RedisReply.Bulk("proto"), RedisReply.Integer(3)), (RedisReply.Bulk("modules"), RedisReply.EmptyArray)])),
        GetKeyspaces.Instance,
        FlushToDisk.Instance,
        FlushedToDisk.Instance,
        GetStats.Instance,
        new NodeStats(0, []),
        new NodeStats(64L << 20, [Figures(1), Figures(long.MaxValue / 4), new DatabaseStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1)]),
    };

    /// <summary>A database's figures, each one different so that a field read in the wrong place shows.</summary>
    private static DatabaseStats Figures(long first) => new(
        first, first + 1, first + 2, first + 3, first + 4, first + 5, first + 6, first + 7, first + 8, first + 9, first + 10, first + 11, first + 12, first + 13);

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_protocol_message_round_trips_through_the_protocol_serializer(object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<ProtocolSerializer>(serializer);

        var bytes = serializer.ToBinary(message);
        var back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, Serializer.Manifest(message));

        Assert.Equal(message, back);
    }

    [Fact]
    public void A_keyspace_directory_round_trips_with_its_actor_references()
    {
        var directory = new KeyspaceDirectory([TestActor, Sys.DeadLetters]);

        var bytes = Serializer.ToBinary(directory);
        var back = (KeyspaceDirectory)Serializer.FromBinary(bytes, Serializer.Manifest(directory));

        Assert.Equal(directory.Keyspaces, back.Keyspaces);
    }

    [Fact]
    public void The_payload_starts_with_the_format_version()
    {
        Assert.Equal(ProtocolSerializer.FormatVersion, Serializer.ToBinary(FlushToDisk.Instance)[0]);
        Assert.Equal([1, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0], Serializer.ToBinary(new CacheRequest(1, 2, [])));
    }

    [Fact]
    public void An_unknown_manifest_or_version_is_a_serialization_exception()
    {
        Assert.Throws<SerializationException>(() => Serializer.FromBinary([1], "nope"));
        Assert.Throws<SerializationException>(() => Serializer.FromBinary([2], "ftd"));
        Assert.Throws<SerializationException>(() => Serializer.FromBinary([], "ftd"));
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_truncation_of_a_message_is_a_serialization_exception(object message)
    {
        var bytes = Serializer.ToBinary(message);
        var manifest = Serializer.Manifest(message);

        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<SerializationException>(() => Serializer.FromBinary(bytes[..length], manifest));
        }

        Assert.Throws<SerializationException>(() => Serializer.FromBinary([.. bytes, 0], manifest));
    }

    [Fact]
    public void Random_bytes_give_a_message_or_a_serialization_exception_and_nothing_else()
    {
        var random = new Random(20261125);
        string[] manifests = ["req", "rep", "gks", "ksd", "ftd", "fdd", "gst", "nst"];
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            if (bytes.Length > 0 && random.Next(2) == 0) bytes[0] = ProtocolSerializer.FormatVersion;
            var manifest = manifests[random.Next(manifests.Length)];
            try
            {
                Serializer.FromBinary(bytes, manifest);
            }
            catch (SerializationException)
            {
                // The one exception malformed input may cause.
            }
        }
    }

    [Fact]
    public void Node_stats_keep_every_figure_in_its_place_and_their_totals()
    {
        var stats = new NodeStats(1000, [Figures(10), Figures(100)]);

        var back = (NodeStats)Serializer.FromBinary(Serializer.ToBinary(stats), "nst");

        Assert.Equal(stats.Databases[1], back.Databases[1]);
        Assert.Equal(1000, back.MaxMemory);
        Assert.Equal(12 + 102, back.Hits);
        Assert.Equal(19 + 109, back.DirtyKeys);
        Assert.Equal(11 + 101, back.UsedMemory);
    }

    [Fact]
    public void A_database_count_the_payload_cannot_hold_is_refused_before_anything_is_allocated()
    {
        // Version, max memory, then a count of a million databases followed by a few bytes: would be 112 MB of figures.
        byte[] bytes = [ProtocolSerializer.FormatVersion, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x42, 0x0F, 0x00, .. new byte[200]];

        Assert.Throws<SerializationException>(() => Serializer.FromBinary(bytes, "nst"));
        Assert.Throws<SerializationException>(() => Serializer.FromBinary([ProtocolSerializer.FormatVersion, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF], "nst"));
    }

    [Fact]
    public void Deeply_nested_replies_are_refused_not_recursed_into()
    {
        var bytes = new List<byte> { ProtocolSerializer.FormatVersion, 0, 0, 0, 0, 0, 0, 0, 0 };
        for (var i = 0; i < 10_000; i++) bytes.AddRange([5, 1, 0, 0, 0]);

        Assert.Throws<SerializationException>(() => Serializer.FromBinary(bytes.ToArray(), "rep"));
    }
}
