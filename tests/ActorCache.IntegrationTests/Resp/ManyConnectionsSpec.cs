using StackExchange.Redis;
using Xunit;

namespace ActorCache.IntegrationTests.Resp;

/// <summary>Many multiplexers (one socket each) working at once on shared and private keys.</summary>
public sealed class ManyConnectionsSpec : RespSpec
{
    private const int Clients = 20;
    private const int OpsPerClient = 200;

    [Fact]
    public async Task Twenty_connections_doing_two_hundred_ops_each_leave_the_right_values()
    {
        var multiplexers = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => ConnectAsync()));

        await Task.WhenAll(multiplexers.Select((multiplexer, client) => Task.Run(async () =>
        {
            var db = multiplexer.GetDatabase();
            for (var op = 0; op < OpsPerClient; op += 2)
            {
                await db.StringIncrementAsync("shared");
                await db.StringSetAsync($"client:{client}:{op}", $"{client}/{op}");
            }
        })));

        var check = multiplexers[0].GetDatabase();
        Assert.Equal(Clients * OpsPerClient / 2, (long)await check.StringGetAsync("shared"));
        for (var client = 0; client < Clients; client++)
        {
            var keys = Enumerable.Range(0, OpsPerClient / 2).Select(i => (RedisKey)$"client:{client}:{i * 2}").ToArray();
            var values = await check.StringGetAsync(keys);
            var expected = Enumerable.Range(0, OpsPerClient / 2).Select(i => $"{client}/{i * 2}");
            Assert.Equal(expected, values.Select(v => (string?)v));
        }

        Assert.Equal(1 + Clients * OpsPerClient / 2, await multiplexers[1].GetServer(Node.Server.EndPoint).DatabaseSizeAsync());
    }
}
