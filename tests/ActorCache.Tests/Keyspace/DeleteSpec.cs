using ActorCache.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Keyspace;

/// <summary>A DEL pins a negative-cache entry until the delete is on disk, so the old value can never come back.</summary>
public sealed class DeleteSpec(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact]
    public async Task Get_after_del_never_loads_the_old_value_even_when_the_deletes_save_is_slow()
    {
        Store.Seed("k", "old");
        var (node, client) = await StartNodeAsync();
        Store.HoldWrites();

        Assert.Equal(1, await client.DeleteAsync("k"));
        await AwaitConditionAsync(() => Task.FromResult(Store.WriterIsWaiting));

        Assert.Null(await client.GetAsync("k"));
        Assert.Equal("old", Store.StoredString("k"));
        Store.ReleaseWrites();
        await node.FlushAsync(RemainingOrDefault);
        Assert.Null(await client.GetAsync("k"));
        Assert.Null(Store.StoredString("k"));
        Assert.Equal(1, Store.ReadsOf("k"));
    }

    [Fact]
    public async Task Get_after_del_reads_nothing_while_the_delete_is_still_queued()
    {
        Store.Seed("k", "old");
        var (_, client) = await StartNodeAsync(Settings(s => s with { CacheFlushDelay = TimeSpan.FromHours(1) }));

        await client.DeleteAsync("k");

        Assert.Null(await client.GetAsync("k"));
        Assert.False(await client.ExistsAsync("k"));
        Assert.Equal(1, Store.ReadsOf("k"));
    }

    [Fact]
    public async Task A_pinned_entry_survives_a_full_negative_cache()
    {
        Store.Seed("k", "old");
        // The delete stays queued (its entry pinned) while other misses overflow the negative cache.
        var (_, client) = await StartNodeAsync(Settings(s => s with { NegativeCacheMaxEntries = 2, CacheFlushDelay = TimeSpan.FromHours(1) }));

        await client.DeleteAsync("k");
        for (var i = 0; i < 10; i++) Assert.Null(await client.GetAsync($"absent-{i}"));

        Assert.Null(await client.GetAsync("k"));
        Assert.Equal(1, Store.ReadsOf("k"));
        await client.GetAsync("absent-0");
        Assert.Equal(2, Store.ReadsOf("absent-0"));
    }

    [Fact]
    public async Task After_the_delete_lands_a_load_reads_what_was_saved()
    {
        Store.Seed("k", "old");
        // No unpinned entries are kept, so once the delete is on disk the next GET must read the disk again.
        var (node, client) = await StartNodeAsync(Settings(s => s with { NegativeCacheMaxEntries = 0 }));

        await client.DeleteAsync("k");
        await node.FlushAsync(RemainingOrDefault);

        Assert.Null(await client.GetAsync("k"));
        Assert.Equal(2, Store.ReadsOf("k"));
    }

    [Fact]
    public async Task The_bounded_negative_cache_forgets_its_oldest_entries_first()
    {
        var (_, client) = await StartNodeAsync(Settings(s => s with { NegativeCacheMaxEntries = 3 }));

        foreach (var key in new[] { "a", "b", "c", "d" }) await client.GetAsync(key);
        await client.GetAsync("d");
        await client.GetAsync("a");

        Assert.Equal(1, Store.ReadsOf("d"));
        Assert.Equal(2, Store.ReadsOf("a"));
    }

    [Fact]
    public async Task Set_after_del_wins_over_the_queued_delete()
    {
        Store.Seed("k", "old");
        var (node, client) = await StartNodeAsync(Settings(s => s with { CacheFlushDelay = TimeSpan.FromHours(1) }));

        await client.DeleteAsync("k");
        await client.SetAsync("k", "new");
        await node.FlushAsync(RemainingOrDefault);

        Assert.Equal("new", Store.StoredString("k"));
        Assert.Equal(1, Store.WritesOf("k"));
    }
}
