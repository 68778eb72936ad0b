using ActorCache.Protocol;
using ActorCache.Settings;
using ActorCache.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Node;

/// <summary>durability = write-through: a write is acknowledged only once the save that carries it is on disk.</summary>
public sealed class WriteThroughSpec(ITestOutputHelper output) : NodeSpec(output)
{
    private CacheSettings WriteThrough() => Settings(s => s with { Durability = Durability.WriteThrough, CacheFlushDelay = TimeSpan.FromHours(1) });

    [Fact]
    public async Task A_write_is_acknowledged_only_once_its_save_is_on_disk()
    {
        var (_, client) = await StartNodeAsync(WriteThrough());
        Store.HoldWrites();

        var set = client.SetAsync("k", "v");
        await AwaitConditionAsync(() => Task.FromResult(Store.WriterIsWaiting));

        // The save is held inside the store, so the acknowledgement cannot have been sent.
        Assert.False(set.IsCompleted);
        Store.ReleaseWrites();
        Assert.True(await set);
        Assert.Equal("v", Store.StoredString("k"));
    }

    [Fact]
    public async Task Write_through_ignores_the_flush_delay()
    {
        var (_, client) = await StartNodeAsync(WriteThrough());

        await client.SetAsync("k", "v");

        Assert.Equal("v", Store.StoredString("k"));
    }

    [Fact]
    public async Task Reads_are_answered_from_memory_while_a_save_is_held()
    {
        var (_, client) = await StartNodeAsync(WriteThrough());
        await client.SetAsync("k", "v1");
        Store.HoldWrites();

        var set = client.SetAsync("k", "v2");
        await AwaitConditionAsync(() => Task.FromResult(Store.WriterIsWaiting));

        Assert.Equal("v2", await client.GetAsync("k"));
        Store.ReleaseWrites();
        await set;
    }

    [Fact]
    public async Task A_failing_save_holds_the_acknowledgement_until_it_is_retried_successfully()
    {
        var (node, client) = await StartNodeAsync(Settings(s => s with
        {
            Durability = Durability.WriteThrough,
            SaveRetryMinBackoff = TimeSpan.FromMilliseconds(1),
            SaveRetryMaxBackoff = TimeSpan.FromMilliseconds(5),
        }));
        Store.FailWritesOf("k");

        var set = client.SetAsync("k", "v");
        await AwaitConditionAsync(async () => (await StatsOf(node)).SaveFailures >= 2);

        Assert.False(set.IsCompleted);
        Store.FailWritesOf("k", fail: false);
        Assert.True(await set);
        Assert.Equal("v", Store.StoredString("k"));
    }

    [Fact]
    public async Task A_transaction_is_acknowledged_once_all_its_saves_are_on_disk()
    {
        var (node, _) = await StartNodeAsync(WriteThrough());

        node.Entry.Tell(new CacheTransaction(1, 0, [[Bytes("SET"), Bytes("a"), Bytes("1")], [Bytes("SET"), Bytes("b"), Bytes("2")]], []), TestActor);
        await ExpectMsgAsync<CacheReply>();

        Assert.Equal("1", Store.StoredString("a"));
        Assert.Equal("2", Store.StoredString("b"));
    }
}
