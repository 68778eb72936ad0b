using ActorCache.Protocol;
using ActorCache.Tests.Support;
using Akka.Actor;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Protocol;

/// <summary>
/// With serialize-messages on, every message the node and its clients exchange goes through a serializer, as it
/// would over the network: the protocol messages through ours, never the default JSON one.
/// </summary>
public sealed class SerializeMessagesSpec(ITestOutputHelper output) : NodeSpec(output, "akka.actor.serialize-messages = on")
{
    [Fact]
    public async Task The_node_works_with_every_message_serialized()
    {
        var (node, client) = await StartNodeAsync();

        await client.SetAsync("k", "v");
        Assert.Equal("v", await client.GetAsync("k"));
        Assert.Equal(new ArrayReply([RedisReply.Bulk("v"), RedisReply.Nil]), await client.ExecuteAsync("MGET", "k", "missing"));
        Assert.Equal(1, await client.DatabaseSizeAsync());
        await client.FlushToDiskAsync();
        var directory = await node.Entry.Ask<KeyspaceDirectory>(GetKeyspaces.Instance, RemainingOrDefault);
        Assert.Equal(16, directory.Keyspaces.Count);
        var stats = await client.GetStatsAsync();
        Assert.Equal(16, stats.Databases.Count);
        Assert.Equal(1, stats.Databases[0].KeysInMemory);
    }

    [Fact]
    public void No_protocol_message_is_left_to_the_default_serializer()
    {
        object[] messages = [new CacheRequest(1, 0, []), new CacheReply(1, RedisReply.Ok), GetKeyspaces.Instance, new KeyspaceDirectory([]), FlushToDisk.Instance, FlushedToDisk.Instance, GetStats.Instance, new NodeStats(0, [])];

        Assert.All(messages, m => Assert.IsType<ProtocolSerializer>(Sys.Serialization.FindSerializerFor(m)));
    }
}
