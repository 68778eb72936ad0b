using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Resp;

/// <summary>WATCH and UNWATCH over RESP: optimistic locking for MULTI/EXEC, and watches that never pin keys for good.</summary>
public sealed class RespWatchSpec(ITestOutputHelper output) : RespSpec(output)
{
    [Fact]
    public async Task A_change_by_another_connection_after_watch_makes_exec_answer_null_and_apply_nothing()
    {
        await StartAsync();
        var client = await ConnectAsync();
        var other = await ConnectAsync();
        await client.CallAsync("SET", "balance", "10");

        Assert.Equal("+OK", await client.CallAsync("WATCH", "balance"));
        await other.CallAsync("SET", "balance", "20");
        await client.CallAsync("MULTI");
        await client.CallAsync("SET", "balance", "11");
        await client.CallAsync("SET", "audit", "done");

        Assert.Equal("*nil", await client.CallAsync("EXEC"));
        Assert.Equal("$20", await client.CallAsync("GET", "balance"));
        Assert.Equal("$nil", await client.CallAsync("GET", "audit"));
    }

    [Fact]
    public async Task Exec_applies_the_transaction_when_no_watched_key_changed()
    {
        await StartAsync();
        var client = await ConnectAsync();
        var other = await ConnectAsync();
        await client.CallAsync("SET", "balance", "10");

        Assert.Equal("+OK", await client.CallAsync("WATCH", "balance", "absent"));
        await other.CallAsync("SET", "unrelated", "x");
        await client.CallAsync("MULTI");
        await client.CallAsync("INCRBY", "balance", "5");

        Assert.Equal("*[:15]", await client.CallAsync("EXEC"));
        Assert.Equal("$15", await client.CallAsync("GET", "balance"));
    }

    [Fact]
    public async Task An_aborted_exec_is_the_resp3_null()
    {
        await StartAsync();
        var client = await ConnectAsync();
        var other = await ConnectAsync();
        await client.CallAsync("HELLO", "3");

        await client.CallAsync("WATCH", "k");
        await other.CallAsync("SET", "k", "changed");
        await client.CallAsync("MULTI");
        await client.CallAsync("GET", "k");

        Assert.Equal("_", await client.CallAsync("EXEC"));
    }

    [Fact]
    public async Task A_watched_key_that_expires_before_exec_makes_exec_answer_null()
    {
        await StartAsync();
        var client = await ConnectAsync();
        await client.CallAsync("SET", "session", "open", "PX", "1000");

        await client.CallAsync("WATCH", "session");
        Clock.Advance(TimeSpan.FromSeconds(2));
        await client.CallAsync("MULTI");
        await client.CallAsync("SET", "seen", "yes");

        Assert.Equal("*nil", await client.CallAsync("EXEC"));
        Assert.Equal("$nil", await client.CallAsync("GET", "seen"));
    }

    [Fact]
    public async Task A_watched_key_stays_in_memory_through_flushcache_so_exec_still_works_when_it_is_unchanged()
    {
        await StartAsync();
        var client = await ConnectAsync();
        var admin = await ConnectAsync();
        await client.CallAsync("SET", "counter", "1");

        await client.CallAsync("WATCH", "counter");
        Assert.Equal("+OK", await admin.CallAsync("DEBUG", "FLUSHCACHE"));
        await client.CallAsync("MULTI");
        await client.CallAsync("INCR", "counter");

        Assert.Equal("*[:2]", await client.CallAsync("EXEC"));
        // Kept in memory while watched: never read back from the disk.
        Assert.Equal(0, Store.ReadsOf("counter"));
    }

    [Fact]
    public async Task A_watched_key_changed_after_flushcache_still_makes_exec_answer_null()
    {
        await StartAsync();
        var client = await ConnectAsync();
        var other = await ConnectAsync();
        await client.CallAsync("SET", "counter", "1");

        await client.CallAsync("WATCH", "counter");
        Assert.Equal("+OK", await other.CallAsync("DEBUG", "FLUSHCACHE"));
        await other.CallAsync("SET", "counter", "5");
        await client.CallAsync("MULTI");
        await client.CallAsync("INCR", "counter");

        Assert.Equal("*nil", await client.CallAsync("EXEC"));
        Assert.Equal("$5", await client.CallAsync("GET", "counter"));
    }

    [Fact]
    public async Task Closing_a_connection_releases_its_watches_so_the_key_can_be_evicted_again()
    {
        await StartAsync();
        var client = await ConnectAsync();
        var admin = await ConnectAsync();
        await client.CallAsync("SET", "k", "v");

        await client.CallAsync("WATCH", "k", "k");
        await admin.CallAsync("DEBUG", "FLUSHCACHE");
        Assert.Equal(1, (await StatsOf(Node)).KeysInMemory);

        client.Dispose();

        await AwaitAssertAsync(async () =>
        {
            await admin.CallAsync("DEBUG", "FLUSHCACHE");
            Assert.Equal(0, (await StatsOf(Node)).KeysInMemory);
        });
    }

    [Fact]
    public async Task One_connection_releasing_its_watch_leaves_the_watch_of_another_on_the_same_key_in_force()
    {
        await StartAsync();
        var leaving = await ConnectAsync();
        var staying = await ConnectAsync();
        var writer = await ConnectAsync();
        await writer.CallAsync("SET", "k", "1");
        await leaving.CallAsync("WATCH", "k");
        await staying.CallAsync("WATCH", "k");

        leaving.Dispose();
        // Gone from CLIENT LIST once its connection has ended, and it releases its watches before that.
        await AwaitAssertAsync(async () => Assert.Equal(2, (await writer.CallAsync("CLIENT", "LIST")).Split("\nid=").Length));
        await writer.CallAsync("DEBUG", "FLUSHCACHE");
        await staying.CallAsync("MULTI");
        await staying.CallAsync("SET", "k", "mine");

        // Had the leaving connection released both watches, the key would have left memory with its version, and EXEC
        // could not vouch that it is unchanged.
        Assert.Equal("*[+OK]", await staying.CallAsync("EXEC"));
        Assert.Equal(0, Store.ReadsOf("k"));
    }

    [Theory]
    [InlineData("UNWATCH")]
    [InlineData("EXEC")]
    [InlineData("DISCARD")]
    [InlineData("RESET")]
    public async Task Unwatch_exec_discard_and_reset_release_every_watch(string release)
    {
        await StartAsync();
        var client = await ConnectAsync();
        var admin = await ConnectAsync();
        await client.CallAsync("MSET", "a", "1", "b", "2");
        await client.CallAsync("WATCH", "a", "b");
        await client.CallAsync("WATCH", "a");
        if (release is "EXEC" or "DISCARD") await client.CallAsync("MULTI");

        await client.CallAsync(release);
        await admin.CallAsync("DEBUG", "FLUSHCACHE");

        Assert.Equal(0, (await StatsOf(Node)).KeysInMemory);
    }

    [Fact]
    public async Task After_unwatch_a_change_no_longer_aborts_exec()
    {
        await StartAsync();
        var client = await ConnectAsync();
        var other = await ConnectAsync();

        await client.CallAsync("WATCH", "k");
        Assert.Equal("+OK", await client.CallAsync("UNWATCH"));
        await other.CallAsync("SET", "k", "changed");
        await client.CallAsync("MULTI");
        await client.CallAsync("SET", "k", "mine");

        Assert.Equal("*[+OK]", await client.CallAsync("EXEC"));
    }

    [Fact]
    public async Task Unwatch_inside_multi_is_queued_and_exec_still_checks_the_watches()
    {
        await StartAsync();
        var client = await ConnectAsync();
        var other = await ConnectAsync();

        await client.CallAsync("WATCH", "k");
        await client.CallAsync("MULTI");
        Assert.Equal("+QUEUED", await client.CallAsync("UNWATCH"));
        await other.CallAsync("SET", "k", "changed");

        Assert.Equal("*nil", await client.CallAsync("EXEC"));
    }

    [Fact]
    public async Task A_watch_in_another_database_is_checked_at_exec()
    {
        await StartAsync();
        var client = await ConnectAsync();
        var other = await ConnectAsync();

        await client.CallAsync("WATCH", "k");
        await client.CallAsync("SELECT", "1");
        await other.CallAsync("SET", "k", "changed");
        await client.CallAsync("MULTI");
        await client.CallAsync("SET", "in-db1", "v");
        Assert.Equal("*nil", await client.CallAsync("EXEC"));
        Assert.Equal("$nil", await client.CallAsync("GET", "in-db1"));

        await client.CallAsync("SELECT", "0");
        await client.CallAsync("WATCH", "k");
        await client.CallAsync("SELECT", "1");
        await client.CallAsync("MULTI");
        await client.CallAsync("SET", "in-db1", "v");
        Assert.Equal("*[+OK]", await client.CallAsync("EXEC"));
    }

    [Fact]
    public async Task A_pipelined_watch_multi_exec_waits_for_the_watched_key_to_load()
    {
        await StartAsync();
        Store.Seed("on-disk", "1");
        var client = await ConnectAsync();

        Store.HoldReads();
        await client.SendAsync(["WATCH", "on-disk"], ["MULTI"], ["INCR", "on-disk"], ["EXEC"]);
        await AwaitAssertAsync(async () => Assert.Equal(1, (await StatsOf(Node)).ParkedRequests));
        Store.ReleaseReads();

        Assert.Equal("+OK", await client.ReadReplyAsync());
        Assert.Equal("+OK", await client.ReadReplyAsync());
        Assert.Equal("+QUEUED", await client.ReadReplyAsync());
        Assert.Equal("*[:2]", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Watch_needs_a_key()
    {
        await StartAsync();
        var client = await ConnectAsync();

        Assert.Equal("-ERR wrong number of arguments for 'watch' command", await client.CallAsync("WATCH"));
    }
}
