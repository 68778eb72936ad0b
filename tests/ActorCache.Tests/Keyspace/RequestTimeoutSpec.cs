using ActorCache.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Keyspace;

/// <summary>request-timeout: no request waits for ever in a keyspace when the disk stalls.</summary>
public sealed class RequestTimeoutSpec(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact]
    public async Task A_request_whose_load_stalls_is_answered_with_a_timeout_error_and_the_keyspace_goes_on()
    {
        var (node, client) = await StartNodeAsync(Settings(s => s with { RequestTimeout = TimeSpan.FromMilliseconds(200) }));
        await client.SetAsync("cold", "on disk");
        await client.SetAsync("hot", "in memory");
        await node.FlushCacheAsync();
        await client.GetAsync("hot");
        Store.HoldReads();

        var stalled = client.ExecuteAsync("GET", "cold");
        var behindIt = client.ExecuteAsync("SET", "cold", "new");

        Assert.Contains("request timed out", Text(await stalled));
        Assert.Contains("request timed out", Text(await behindIt));
        Assert.Equal("in memory", await client.GetAsync("hot"));
        Assert.Equal(0, (await StatsOf(node)).ParkedRequests);

        Store.ReleaseReads();
        Assert.Equal("on disk", await client.GetAsync("cold"));
    }
}
