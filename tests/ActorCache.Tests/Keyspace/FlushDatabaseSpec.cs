using ActorCache.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Keyspace;

/// <summary>FLUSHDB and FLUSHALL empty memory and disk, and nothing written before them ever comes back.</summary>
public sealed class FlushDatabaseSpec(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact]
    public async Task Flushdb_while_saves_are_in_flight_brings_nothing_back()
    {
        Store.Seed("on-disk", "old");
        var (node, client) = await StartNodeAsync();
        Store.HoldWrites();
        for (var i = 0; i < 10; i++) await client.SetAsync($"k{i}", "v");
        await AwaitConditionAsync(() => Task.FromResult(Store.WriterIsWaiting));

        Assert.Equal("OK", Text(await client.ExecuteAsync("FLUSHDB")));
        Store.ReleaseWrites();
        await node.FlushAsync(RemainingOrDefault);

        Assert.Equal(0, await client.DatabaseSizeAsync());
        Assert.Null(await client.GetAsync("k0"));
        Assert.Null(await client.GetAsync("on-disk"));
        await node.StopAsync();
        var (_, restarted) = await StartNodeAsync();
        Assert.Equal(0, await restarted.DatabaseSizeAsync());
        Assert.Null(await restarted.GetAsync("k9"));
    }

    [Fact]
    public async Task Flushdb_with_saves_still_queued_drops_them()
    {
        var (node, client) = await StartNodeAsync(Settings(s => s with { CacheFlushDelay = TimeSpan.FromHours(1) }));
        await client.SetAsync("k", "v");

        await client.ExecuteAsync("FLUSHDB");
        await node.FlushAsync(RemainingOrDefault);

        Assert.DoesNotContain(Store.Writes, w => w.Key == "k");
        Assert.Null(await client.GetAsync("k"));
    }

    [Fact]
    public async Task Writes_after_flushdb_are_kept()
    {
        var (node, client) = await StartNodeAsync();
        await client.SetAsync("k", "before");

        await client.ExecuteAsync("FLUSHDB");
        await client.SetAsync("k", "after");
        await node.FlushAsync(RemainingOrDefault);

        Assert.Equal("after", await client.GetAsync("k"));
        Assert.Equal("after", Store.StoredString("k"));
    }

    [Fact]
    public async Task Flushall_empties_every_database_and_flushdb_only_its_own()
    {
        Store.Seed("a", "1", database: 0);
        Store.Seed("b", "2", database: 1);
        Store.Seed("c", "3", database: 2);
        var (node, client) = await StartNodeAsync();

        await client.WithDatabase(1).ExecuteAsync("FLUSHDB");
        Assert.Equal(1, await client.DatabaseSizeAsync());
        Assert.Equal(0, await client.WithDatabase(1).DatabaseSizeAsync());

        Assert.Equal("OK", Text(await client.ExecuteAsync("FLUSHALL")));
        await node.FlushAsync(RemainingOrDefault);
        Assert.Equal(0, await client.DatabaseSizeAsync());
        Assert.Equal(0, await client.WithDatabase(2).DatabaseSizeAsync());
        Assert.Null(Store.StoredString("c", database: 2));
    }

    [Fact]
    public async Task Flushdb_rejects_an_unknown_option_and_keeps_the_data()
    {
        var (_, client) = await StartNodeAsync();
        await client.SetAsync("k", "v");

        Assert.Equal("ERR syntax error", Text(await client.ExecuteAsync("FLUSHDB", "NOW")));
        Assert.Equal("ERR syntax error", Text(await client.ExecuteAsync("FLUSHALL", "NOW")));
        Assert.Equal("v", await client.GetAsync("k"));
    }
}
