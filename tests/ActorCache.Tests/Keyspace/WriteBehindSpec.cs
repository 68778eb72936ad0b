using ActorCache.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Keyspace;

/// <summary>Writes land in memory at once and reach the disk later: one save per key, with the value at dispatch time.</summary>
public sealed class WriteBehindSpec(ITestOutputHelper output) : NodeSpec(output)
{
    private static readonly TimeSpan Forever = TimeSpan.FromHours(1);

    [Fact]
    public async Task Many_sets_of_one_key_inside_the_flush_delay_make_one_disk_write_holding_the_last_value()
    {
        var (node, client) = await StartNodeAsync(Settings(s => s with { CacheFlushDelay = Forever }));

        for (var i = 1; i <= 100; i++) await client.SetAsync("k", $"v{i}");
        Assert.Empty(Store.Writes);
        await node.FlushAsync(RemainingOrDefault);

        Assert.Equal(1, Store.WritesOf("k"));
        Assert.Equal("v100", Store.StoredString("k"));
    }

    [Fact]
    public async Task A_write_is_visible_at_once_and_on_disk_only_after_the_flush_delay()
    {
        var (node, client) = await StartNodeAsync(Settings(s => s with { CacheFlushDelay = Forever }));

        await client.SetAsync("k", "v");

        Assert.Equal("v", await client.GetAsync("k"));
        Assert.Null(Store.StoredString("k"));
        Assert.Equal(1, (await StatsOf(node)).DirtyKeys);
    }

    [Fact]
    public async Task Saves_are_dispatched_without_a_barrier_once_the_flush_delay_has_passed()
    {
        var (_, client) = await StartNodeAsync(Settings(s => s with { CacheFlushDelay = TimeSpan.FromMilliseconds(20) }));

        await client.SetAsync("k", "v");

        await AwaitAssertAsync(() => Assert.Equal("v", Store.StoredString("k")));
    }

    [Fact]
    public async Task A_write_while_the_keys_save_is_in_flight_leads_to_a_second_save_after_the_first()
    {
        var (node, client) = await StartNodeAsync();
        Store.HoldWrites();

        await client.SetAsync("k", "first");
        await AwaitConditionAsync(() => Task.FromResult(Store.WriterIsWaiting));
        await client.SetAsync("k", "second");
        Store.ReleaseWrites();
        await node.FlushAsync(RemainingOrDefault);

        var writes = Store.Writes.Where(w => w.Key == "k").ToList();
        Assert.Equal(2, writes.Count);
        Assert.Equal("second", Store.StoredString("k"));
    }

    [Fact]
    public async Task A_save_carries_the_value_at_dispatch_time_not_at_write_time()
    {
        var (node, client) = await StartNodeAsync(Settings(s => s with { CacheFlushDelay = Forever }));

        await client.SetAsync("k", "written first");
        await client.ExecuteAsync("APPEND", "k", " and then appended");
        await node.FlushAsync(RemainingOrDefault);

        Assert.Equal(1, Store.WritesOf("k"));
        Assert.Equal("written first and then appended", Store.StoredString("k"));
    }

    [Fact]
    public async Task Saves_of_many_keys_go_in_batches_of_at_most_the_configured_size()
    {
        var (node, client) = await StartNodeAsync(Settings(s => s with { CacheFlushDelay = Forever, SaveBatchSize = 10 }));

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => client.SetAsync($"k{i}", "v")));
        await node.FlushAsync(RemainingOrDefault);

        Assert.Equal(100, Store.Writes.Count);
        Assert.Equal(10, Store.WriteBatches);
    }

    [Fact]
    public async Task A_failed_save_keeps_the_key_dirty_and_lands_once_the_store_recovers()
    {
        var (node, client) = await StartNodeAsync(Settings(s => s with { SaveRetryMinBackoff = TimeSpan.FromMilliseconds(5), SaveRetryMaxBackoff = TimeSpan.FromMilliseconds(20) }));
        Store.FailWritesOf("k");

        await client.SetAsync("k", "precious");
        await AwaitAssertAsync(async () => Assert.True((await StatsOf(node)).SaveFailures >= 2));

        Assert.Equal(1, (await StatsOf(node)).DirtyKeys);
        Assert.Equal("precious", await client.GetAsync("k"));
        Store.FailWritesOf("k", fail: false);
        await node.FlushAsync(RemainingOrDefault);
        Assert.Equal("precious", Store.StoredString("k"));
        Assert.Equal(0, (await StatsOf(node)).DirtyKeys);
    }

    [Fact]
    public async Task One_key_that_cannot_be_saved_does_not_hold_back_the_others()
    {
        var (node, client) = await StartNodeAsync(Settings(s => s with { CacheFlushDelay = Forever }));
        Store.FailWritesOf("bad");

        await client.SetAsync("bad", "x");
        await client.SetAsync("good", "y");
        var barrier = node.FlushAsync(RemainingOrDefault);

        await AwaitAssertAsync(() => Assert.Equal("y", Store.StoredString("good")));
        Assert.False(barrier.IsCompleted);
        Store.FailWritesOf("bad", fail: false);
        await barrier;
        Assert.Equal("x", Store.StoredString("bad"));
    }

    [Fact]
    public async Task The_barrier_waits_for_saves_already_in_flight()
    {
        var (node, client) = await StartNodeAsync();
        Store.HoldWrites();

        await client.SetAsync("k", "v");
        await AwaitConditionAsync(() => Task.FromResult(Store.WriterIsWaiting));
        var barrier = node.FlushAsync(RemainingOrDefault);
        Assert.False(barrier.IsCompleted);

        Store.ReleaseWrites();
        await barrier;
        Assert.Equal("v", Store.StoredString("k"));
    }
}
