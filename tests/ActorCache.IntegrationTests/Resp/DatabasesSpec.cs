using StackExchange.Redis;
using Xunit;

namespace ActorCache.IntegrationTests.Resp;

/// <summary>SELECT through StackExchange.Redis (GetDatabase(n)): the databases keep their keys apart.</summary>
public sealed class DatabasesSpec : RespSpec
{
    [Fact]
    public async Task Databases_3_and_0_keep_their_keys_apart()
    {
        var multiplexer = await ConnectAsync();
        var db0 = multiplexer.GetDatabase(0);
        var db3 = multiplexer.GetDatabase(3);

        await db0.StringSetAsync("shared-name", "in zero");
        await db3.StringSetAsync("shared-name", "in three");
        await db3.StringSetAsync("only-in-three", "3");

        Assert.Equal("in zero", (string?)await db0.StringGetAsync("shared-name"));
        Assert.Equal("in three", (string?)await db3.StringGetAsync("shared-name"));
        Assert.True(await db3.KeyExistsAsync("only-in-three"));
        Assert.False(await db0.KeyExistsAsync("only-in-three"));
        Assert.False(await multiplexer.GetDatabase(5).KeyExistsAsync("shared-name"));

        await db3.KeyDeleteAsync("shared-name");
        Assert.Equal("in zero", (string?)await db0.StringGetAsync("shared-name"));
        Assert.Equal(1, await db0.StringIncrementAsync("counter"));
        Assert.Equal(1, await db3.StringIncrementAsync("counter"));

        var server = multiplexer.GetServer(Node.Server.EndPoint);
        Assert.Equal(2, await server.DatabaseSizeAsync(0));
        Assert.Equal(2, await server.DatabaseSizeAsync(3));
    }

    [Fact]
    public async Task Commands_interleaved_across_databases_on_one_connection_each_land_in_their_own()
    {
        var multiplexer = await ConnectAsync();

        // One socket, SELECT switched between commands by the client: each command must run in its database.
        var writes = new List<Task<bool>>();
        for (var i = 0; i < 1000; i++) writes.Add(multiplexer.GetDatabase(i % 4).StringSetAsync($"key:{i}", $"db{i % 4}"));
        Assert.All(await Task.WhenAll(writes), Assert.True);

        for (var db = 0; db < 4; db++)
        {
            var database = multiplexer.GetDatabase(db);
            var keys = Enumerable.Range(0, 1000).Select(i => (RedisKey)$"key:{i}").ToArray();
            var values = await database.StringGetAsync(keys);
            for (var i = 0; i < 1000; i++) Assert.Equal(i % 4 == db ? $"db{db}" : null, (string?)values[i]);
        }
    }

    [Fact]
    public async Task Keys_scan_randomkey_and_flushdb_work_on_one_database()
    {
        var multiplexer = await ConnectAsync(allowAdmin: true);
        var server = multiplexer.GetServer(Node.Server.EndPoint);
        var db2 = multiplexer.GetDatabase(2);
        for (var i = 0; i < 300; i++) await db2.StringSetAsync($"user:{i}", i);
        await db2.StringSetAsync("other", "x");
        await multiplexer.GetDatabase(0).StringSetAsync("user:zero-db", "x");

        // IServer.Keys uses SCAN with a cursor (pages of pageSize).
        var users = server.Keys(2, "user:*", pageSize: 50).Select(k => (string)k!).ToHashSet();
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"user:{i}").ToHashSet(), users);
        Assert.Equal(301, server.Keys(2).Count());
        Assert.StartsWith("user:", (string?)await multiplexer.GetDatabase(0).KeyRandomAsync());

        await server.FlushDatabaseAsync(2);
        Assert.Equal(0, await server.DatabaseSizeAsync(2));
        Assert.Null((string?)await db2.KeyRandomAsync());
        Assert.True(await multiplexer.GetDatabase(0).KeyExistsAsync("user:zero-db"));

        await server.FlushAllDatabasesAsync();
        Assert.Equal(0, await server.DatabaseSizeAsync(0));
    }
}
