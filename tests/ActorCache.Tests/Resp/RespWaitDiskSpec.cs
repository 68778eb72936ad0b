using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Resp;

/// <summary>WAITDISK: ActorCache's own command, the node-wide flush barrier over RESP.</summary>
public sealed class RespWaitDiskSpec(ITestOutputHelper output) : RespSpec(output)
{
    [Fact]
    public async Task Waitdisk_answers_once_the_writes_before_it_are_on_disk()
    {
        // Saves would otherwise wait an hour: only the barrier sends them.
        await StartAsync(node: settings => settings with { CacheFlushDelay = TimeSpan.FromHours(1) });
        var client = await ConnectAsync();

        await client.SendAsync(["SET", "a", "1"], ["SET", "b", "2"], ["SET", "a", "3", "XX"], ["DEL", "gone"], ["WAITDISK"]);
        Assert.Equal("+OK", await client.ReadReplyAsync());
        Assert.Equal("+OK", await client.ReadReplyAsync());
        Assert.Equal("+OK", await client.ReadReplyAsync());
        Assert.Equal(":0", await client.ReadReplyAsync());
        Assert.Equal("+OK", await client.ReadReplyAsync());

        Assert.Equal("3", Store.StoredString("a"));
        Assert.Equal("2", Store.StoredString("b"));
    }

    [Fact]
    public async Task Waitdisk_pipelined_behind_a_write_waiting_for_a_load_covers_that_write()
    {
        await StartAsync(node: settings => settings with { CacheFlushDelay = TimeSpan.FromHours(1) });
        Store.Seed("k", "1");
        var client = await ConnectAsync();

        Store.HoldReads();
        await client.SendAsync(["INCR", "k"], ["WAITDISK"]);
        await AwaitAssertAsync(async () => Assert.Equal(1, (await StatsOf(Node)).ParkedRequests));
        Store.ReleaseReads();

        // The INCR is acknowledged before WAITDISK's +OK, so the client counts it as on disk.
        Assert.Equal(":2", await client.ReadReplyAsync());
        Assert.Equal("+OK", await client.ReadReplyAsync());
        Assert.Equal("2", Store.StoredString("k"));
    }

    [Fact]
    public async Task Waitdisk_covers_the_writes_of_every_database_and_takes_no_arguments()
    {
        await StartAsync(node: settings => settings with { CacheFlushDelay = TimeSpan.FromHours(1) });
        var client = await ConnectAsync();
        await client.CallAsync("SELECT", "2");
        await client.CallAsync("SET", "k", "in-db2");

        Assert.Equal("-ERR wrong number of arguments for 'waitdisk' command", await client.CallAsync("WAITDISK", "now"));
        Assert.Equal("+OK", await client.CallAsync("WAITDISK"));
        Assert.Equal("in-db2", Store.StoredString("k", database: 2));
    }

    [Fact]
    public async Task Command_lists_waitdisk_and_the_transaction_commands()
    {
        await StartAsync();
        var client = await ConnectAsync();

        var list = await client.CallAsync("COMMAND", "LIST");
        foreach (var name in new[] { "waitdisk", "multi", "exec", "discard", "watch", "unwatch" }) Assert.Contains($"${name}", list);
        Assert.StartsWith("*[*[$waitdisk, :1, ", await client.CallAsync("COMMAND", "INFO", "waitdisk"));
        // WATCH names keys, as in Redis: every argument after the name.
        Assert.Contains(", :1, :-1, :1, ", await client.CallAsync("COMMAND", "INFO", "watch"));
        Assert.Equal("*[$a, $b]", await client.CallAsync("COMMAND", "GETKEYS", "WATCH", "a", "b"));
    }
}
