using Akka.Actor;
using ActorCache.Protocol;
using ActorCache.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Node;

/// <summary>An actor in the same ActorSystem talks to the node with plain Tell and correlated replies.</summary>
public sealed class EmbeddedApiSpec(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact]
    public async Task An_actor_tells_requests_to_the_entry_actor_and_gets_correlated_replies()
    {
        var (node, _) = await StartNodeAsync();

        node.Entry.Tell(new CacheRequest(41, 2, [Bytes("SET"), Bytes("k"), Bytes("v")]), TestActor);
        node.Entry.Tell(new CacheRequest(42, 2, [Bytes("GET"), Bytes("k")]), TestActor);

        Assert.Equal(new CacheReply(41, RedisReply.Ok), await ExpectMsgAsync<CacheReply>());
        Assert.Equal(new CacheReply(42, RedisReply.Bulk("v")), await ExpectMsgAsync<CacheReply>());
    }

    [Fact]
    public async Task Keyspace_actors_can_be_addressed_directly()
    {
        var (node, client) = await StartNodeAsync();
        await client.WithDatabase(5).SetAsync("k", "five");

        var directory = await node.Entry.Ask<KeyspaceDirectory>(GetKeyspaces.Instance, RemainingOrDefault);
        directory.Keyspaces[5].Tell(new CacheRequest(7, 5, [Bytes("GET"), Bytes("k")]), TestActor);

        Assert.Equal(16, directory.Keyspaces.Count);
        Assert.Equal(new CacheReply(7, RedisReply.Bulk("five")), await ExpectMsgAsync<CacheReply>());
    }

    [Fact]
    public async Task The_flush_barrier_answers_once_everything_is_on_disk()
    {
        var (node, client) = await StartNodeAsync(Settings(s => s with { CacheFlushDelay = TimeSpan.FromHours(1) }));
        await client.SetAsync("k", "v");

        node.Entry.Tell(FlushToDisk.Instance, TestActor);

        await ExpectMsgAsync<FlushedToDisk>();
        Assert.Equal("v", Store.StoredString("k"));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(16)]
    [InlineData(int.MaxValue)]
    public async Task An_out_of_range_database_gets_an_error_and_the_node_keeps_serving(int database)
    {
        var (node, client) = await StartNodeAsync();

        node.Entry.Tell(new CacheRequest(1, database, [Bytes("GET"), Bytes("k")]), TestActor);

        Assert.Equal(new CacheReply(1, RedisReply.Error("ERR DB index is out of range")), await ExpectMsgAsync<CacheReply>());
        Assert.Equal("ERR DB index is out of range", Assert.IsType<ErrorReply>(await client.WithDatabase(database).ExecuteAsync("PING")).Message);
        Assert.True(await client.SetAsync("still", "working"));
    }

    [Fact]
    public async Task Malformed_requests_get_errors_and_nothing_is_lost()
    {
        var (node, client) = await StartNodeAsync();
        await client.SetAsync("k", "kept");

        node.Entry.Tell(new CacheRequest(1, 0, []), TestActor);
        node.Entry.Tell(new CacheRequest(2, 0, [Bytes("GET"), null!]), TestActor);
        node.Entry.Tell(new CacheRequest(3, 0, null!), TestActor);
        node.Entry.Tell(new CacheRequest(4, 0, [Bytes("NOSUCHCOMMAND"), Bytes("x")]), TestActor);
        node.Entry.Tell("not a request at all", TestActor);

        Assert.Equal("ERR empty command", ((ErrorReply)(await ExpectMsgAsync<CacheReply>()).Reply).Message);
        Assert.Equal("ERR empty command", ((ErrorReply)(await ExpectMsgAsync<CacheReply>()).Reply).Message);
        Assert.Equal("ERR empty command", ((ErrorReply)(await ExpectMsgAsync<CacheReply>()).Reply).Message);
        Assert.StartsWith("ERR unknown command 'NOSUCHCOMMAND'", ((ErrorReply)(await ExpectMsgAsync<CacheReply>()).Reply).Message);
        Assert.Equal("kept", await client.GetAsync("k"));
    }
}
