using ActorCache.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Keyspace;

/// <summary>Expiry is an absolute time kept with the value: keys expire in memory actively and on access, on disk when loaded.</summary>
public sealed class ExpirySpec(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact]
    public async Task A_key_with_a_ttl_reads_as_absent_once_its_time_has_passed()
    {
        var (_, client) = await StartNodeAsync();

        await client.SetAsync("k", "v", TimeSpan.FromSeconds(10));
        Assert.Equal("v", await client.GetAsync("k"));
        Clock.Advance(TimeSpan.FromSeconds(11));

        Assert.Null(await client.GetAsync("k"));
        Assert.Equal(-2, Assert.IsType<ActorCache.Protocol.IntegerReply>(await client.ExecuteAsync("TTL", "k")).Value);
    }

    [Fact]
    public async Task Expired_keys_in_memory_are_removed_without_being_read_and_deleted_on_disk()
    {
        var (node, client) = await StartNodeAsync();
        for (var i = 0; i < 50; i++) await client.SetAsync($"short-{i}", "v", TimeSpan.FromSeconds(1));
        await client.SetAsync("long", "v", TimeSpan.FromHours(1));
        await node.FlushAsync(RemainingOrDefault);

        Clock.Advance(TimeSpan.FromSeconds(2));

        await AwaitAssertAsync(async () => Assert.Equal(1, (await StatsOf(node)).KeysInMemory));
        await node.FlushAsync(RemainingOrDefault);
        Assert.All(Enumerable.Range(0, 50), i => Assert.Null(Store.StoredString($"short-{i}")));
        Assert.Equal("v", Store.StoredString("long"));
    }

    [Fact]
    public async Task A_key_loaded_after_its_expiry_reads_as_absent_and_is_deleted_from_disk()
    {
        Store.Seed("k", "stale", expireAtMs: Clock.UnixTimeMs + 1000);
        var (node, client) = await StartNodeAsync();
        Clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Null(await client.GetAsync("k"));
        await node.FlushAsync(RemainingOrDefault);

        Assert.Null(Store.StoredString("k"));
        Assert.Null(await client.GetAsync("k"));
        Assert.Equal(1, Store.ReadsOf("k"));
    }

    [Fact]
    public async Task The_expiry_is_saved_with_the_value_and_survives_a_restart()
    {
        var (node, client) = await StartNodeAsync();
        await client.SetAsync("k", "v", TimeSpan.FromSeconds(100));
        await node.StopAsync();

        var (_, restarted) = await StartNodeAsync();
        Assert.Equal(TimeSpan.FromSeconds(100), await restarted.TimeToLiveAsync("k"));
        Clock.Advance(TimeSpan.FromSeconds(101));
        Assert.Null(await restarted.GetAsync("k"));
    }

    [Fact]
    public async Task Persist_removes_the_expiry_in_memory_and_on_disk()
    {
        var (node, client) = await StartNodeAsync();
        await client.SetAsync("k", "v", TimeSpan.FromSeconds(10));

        Assert.Equal(1, Assert.IsType<ActorCache.Protocol.IntegerReply>(await client.ExecuteAsync("PERSIST", "k")).Value);
        await node.StopAsync();
        Clock.Advance(TimeSpan.FromSeconds(20));

        var (_, restarted) = await StartNodeAsync();
        Assert.Equal("v", await restarted.GetAsync("k"));
        Assert.Null(await restarted.TimeToLiveAsync("k"));
    }
}
