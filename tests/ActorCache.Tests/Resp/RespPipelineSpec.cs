using ActorCache.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Resp;

/// <summary>Pipelined commands are handed over in batches and answered in request order, whatever waits on the disk.</summary>
public sealed class RespPipelineSpec(ITestOutputHelper output) : RespSpec(output)
{
    [Fact]
    public async Task A_pipelined_get_of_a_disk_only_key_and_gets_of_keys_in_memory_are_answered_in_request_order()
    {
        await StartAsync();
        Store.Seed("on-disk", "from-disk");
        var client = await ConnectAsync();
        Assert.Equal("+OK", await client.CallAsync("MSET", "m1", "v1", "m2", "v2"));

        Store.HoldReads();
        await client.SendAsync(["GET", "on-disk"], ["GET", "m1"], ["GET", "m2"], ["PING"]);
        // The three GETs reach the keyspace in one message; once the first one is parked on its load, the other two
        // have been answered from memory, ahead of it.
        await AwaitAssertAsync(async () => Assert.Equal(1, (await StatsOf(Node)).ParkedRequests));
        Store.ReleaseReads();

        Assert.Equal("$from-disk", await client.ReadReplyAsync());
        Assert.Equal("$v1", await client.ReadReplyAsync());
        Assert.Equal("$v2", await client.ReadReplyAsync());
        Assert.Equal("+PONG", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task A_thousand_pipelined_commands_over_two_databases_get_their_replies_in_order()
    {
        await StartAsync();
        var client = await ConnectAsync();
        var commands = new List<string[]>();
        var expected = new List<string>();
        for (var i = 0; i < 250; i++)
        {
            var db = (i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
            commands.Add(["SELECT", db]);
            expected.Add("+OK");
            commands.Add(["INCR", "counter"]);
            expected.Add($":{i / 2 + 1}");
            commands.Add(["SET", $"k{i}", $"v{i}"]);
            expected.Add("+OK");
            commands.Add(["GET", $"k{i}"]);
            expected.Add($"$v{i}");
        }

        await client.SendAsync([.. commands]);
        foreach (var reply in expected) Assert.Equal(reply, await client.ReadReplyAsync());
    }

    [Fact]
    public async Task A_client_that_sends_without_reading_is_paused_not_dropped_and_gets_every_reply()
    {
        await StartAsync(resp => resp with { MaxPendingReplies = 16 });
        var client = await ConnectAsync();
        Assert.Equal("+OK", await client.CallAsync("SET", "k", "v"));

        // 20,000 GETs sent before reading any reply: far more than 16 may be owed, so the node stops reading this
        // connection until the client reads; the sending task finishes only because the client reads meanwhile.
        var sending = client.SendRawAsync(RawRespClient.Encode(Enumerable.Range(0, 20_000).Select(_ => new[] { "GET", "k" }).ToArray()));
        for (var i = 0; i < 20_000; i++) Assert.Equal("$v", await client.ReadReplyAsync());
        await sending;
        Assert.Equal("+PONG", await client.CallAsync("PING"));
    }
}
