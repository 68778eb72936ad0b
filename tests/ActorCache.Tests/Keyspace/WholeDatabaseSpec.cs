using System.Text;
using ActorCache.Protocol;
using ActorCache.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Keyspace;

/// <summary>DBSIZE, KEYS, SCAN and RANDOMKEY see the union of memory and disk, each live key once.</summary>
public sealed class WholeDatabaseSpec(ITestOutputHelper output) : NodeSpec(output)
{
    private static readonly string[] Expected = ["both", "changed", "dirty", "disk-only"];

    private async Task<Client.ICacheClient> MixedDatabaseAsync()
    {
        Store.Seed("disk-only", "d");
        Store.Seed("both", "b");
        Store.Seed("changed", "old");
        Store.Seed("deleted", "x");
        Store.Seed("expired", "x", expireAtMs: Clock.UnixTimeMs + 1000);
        var (_, client) = await StartNodeAsync(Settings(s => s with { CacheFlushDelay = TimeSpan.FromHours(1) }));
        await client.GetAsync("both");
        await client.SetAsync("changed", "new");
        await client.SetAsync("dirty", "unsaved");
        await client.DeleteAsync("deleted");
        Clock.Advance(TimeSpan.FromSeconds(2));
        return client;
    }

    [Fact]
    public async Task Dbsize_counts_dirty_unsaved_keys_and_disk_only_keys_once_each()
    {
        var client = await MixedDatabaseAsync();

        Assert.Equal(Expected.Length, await client.DatabaseSizeAsync());
    }

    [Fact]
    public async Task Keys_lists_dirty_unsaved_keys_and_disk_only_keys_once_each()
    {
        var client = await MixedDatabaseAsync();

        var reply = Assert.IsType<ArrayReply>(await client.ExecuteAsync("KEYS", "*"));

        Assert.Equal(Expected, Names(reply.Items!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Keys_filters_by_pattern()
    {
        var client = await MixedDatabaseAsync();

        var reply = Assert.IsType<ArrayReply>(await client.ExecuteAsync("KEYS", "d*"));

        Assert.Equal(["dirty", "disk-only"], Names(reply.Items!).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(100)]
    public async Task A_full_scan_returns_dirty_unsaved_keys_and_disk_only_keys_once_each(int count)
    {
        var client = await MixedDatabaseAsync();
        var seen = new List<string>();
        var cursor = "0";
        do
        {
            var reply = Assert.IsType<ArrayReply>(await client.ExecuteAsync("SCAN", cursor, "COUNT", count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            cursor = Text(reply.Items![0]);
            seen.AddRange(Names(((ArrayReply)reply.Items[1]).Items!));
        }
        while (cursor != "0");

        Assert.Equal(Expected, seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Randomkey_returns_a_live_key_of_memory_or_disk()
    {
        var client = await MixedDatabaseAsync();

        for (var i = 0; i < 10; i++)
        {
            Assert.Contains(Text(await client.ExecuteAsync("RANDOMKEY")), Expected);
        }
    }

    [Fact]
    public async Task Randomkey_of_an_empty_database_is_nil()
    {
        var (_, client) = await StartNodeAsync();

        Assert.Equal(RedisReply.Nil, await client.ExecuteAsync("RANDOMKEY"));
    }

    private static IEnumerable<string> Names(IEnumerable<RedisReply> items) =>
        items.Select(i => Encoding.UTF8.GetString(((BulkStringReply)i).Value!));
}
