using ActorCache.Protocol;
using ActorCache.Tests.Support;
using Akka.Actor;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Keyspace;

/// <summary>
/// The flush barrier (WAITDISK, FlushToDiskAsync) covers every request sent before it, including those still waiting
/// for a disk load when the barrier arrives: they have not written yet, so the barrier waits for them first.
/// </summary>
public sealed class FlushBarrierSpec(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact]
    public async Task A_barrier_behind_a_write_waiting_for_a_load_answers_only_once_that_write_is_on_disk()
    {
        var (node, client) = await StartNodeAsync(Settings(s => s with { CacheFlushDelay = TimeSpan.FromHours(1) }));
        await client.SetAsync("k", "1");
        await node.FlushCacheAsync();
        Store.HoldReads();

        var increment = client.ExecuteAsync("INCR", "k");
        var barrier = client.FlushToDiskAsync();
        await AwaitConditionAsync(async () => (await StatsOf(node)).ParkedRequests == 1);
        Store.ReleaseReads();
        await barrier;

        Assert.Equal("2", Text(await increment));
        Assert.Equal("2", Store.StoredString("k"));
    }

    [Fact]
    public async Task A_barrier_behind_a_transaction_waiting_for_its_loads_covers_the_transaction()
    {
        var (node, client) = await StartNodeAsync(Settings(s => s with { CacheFlushDelay = TimeSpan.FromHours(1) }));
        await client.SetAsync("a", "1");
        await client.SetAsync("b", "1");
        await node.FlushCacheAsync();
        Store.HoldReads();

        var transaction = client.TransactionAsync([[Bytes("INCR"), Bytes("a")], [Bytes("INCR"), Bytes("b")]]);
        var barrier = client.FlushToDiskAsync();
        await AwaitConditionAsync(async () => (await StatsOf(node)).ParkedRequests == 1);
        Store.ReleaseReads();
        await barrier;

        await transaction;
        Assert.Equal("2", Store.StoredString("a"));
        Assert.Equal("2", Store.StoredString("b"));
    }

    [Fact]
    public async Task Writes_sent_after_a_barrier_do_not_hold_it_up_while_they_wait_for_loads()
    {
        var (node, client) = await StartNodeAsync(Settings(s => s with { CacheFlushDelay = TimeSpan.FromHours(1) }));
        await client.SetAsync("cold", "1");
        await node.FlushCacheAsync();
        await client.SetAsync("hot", "x");
        Store.HoldReads();

        // Straight to the keyspace, so the barrier is in its mailbox before the INCR is.
        var barrier = (await KeyspaceOf(node)).Ask<FlushedToDisk>(FlushToDisk.Instance, RemainingOrDefault);
        var later = client.ExecuteAsync("INCR", "cold");
        await barrier;

        Assert.Equal("x", Store.StoredString("hot"));
        Assert.False(later.IsCompleted);
        Store.ReleaseReads();
        Assert.Equal("2", Text(await later));
    }
}
