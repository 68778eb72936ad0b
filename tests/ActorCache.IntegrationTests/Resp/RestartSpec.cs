using StackExchange.Redis;
using Xunit;

namespace ActorCache.IntegrationTests.Resp;

/// <summary>Values written through StackExchange.Redis survive a graceful stop and a new node on the same folder.</summary>
public sealed class RestartSpec : RespSpec
{
    [Fact]
    public async Task Values_written_through_StackExchange_Redis_are_there_after_a_graceful_restart()
    {
        var megabyte = new byte[1 << 20];
        new Random(7).NextBytes(megabyte);
        var db = await DatabaseAsync();
        await db.StringSetAsync(Enumerable.Range(0, 500).Select(i => new KeyValuePair<RedisKey, RedisValue>($"key:{i}", $"value:{i}")).ToArray());
        await db.StringSetAsync("big", megabyte);
        await db.StringSetAsync("expiring", "later", TimeSpan.FromHours(1));
        for (var i = 0; i < 42; i++) await db.StringIncrementAsync("counter");
        await (await ConnectAsync()).GetDatabase(4).StringSetAsync("in-four", "4");
        await db.StringSetAsync("deleted", "x");
        await db.KeyDeleteAsync("deleted");

        CloseClients();
        await Node.DisposeAsync();
        Node = await RespTestNode.StartAsync(Folder);

        var again = await DatabaseAsync();
        var values = await again.StringGetAsync(Enumerable.Range(0, 500).Select(i => (RedisKey)$"key:{i}").ToArray());
        Assert.Equal(Enumerable.Range(0, 500).Select(i => $"value:{i}"), values.Select(v => (string?)v));
        Assert.Equal(megabyte, (byte[]?)await again.StringGetAsync("big"));
        Assert.Equal(42, (long)await again.StringGetAsync("counter"));
        Assert.Equal("later", (string?)await again.StringGetAsync("expiring"));
        Assert.InRange((await again.KeyTimeToLiveAsync("expiring"))!.Value, TimeSpan.FromMinutes(50), TimeSpan.FromHours(1));
        Assert.False(await again.KeyExistsAsync("deleted"));
        Assert.Equal("4", (string?)await (await ConnectAsync()).GetDatabase(4).StringGetAsync("in-four"));
        Assert.False(await again.KeyExistsAsync("in-four"));
    }
}
