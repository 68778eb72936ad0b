using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Resp;

/// <summary>MULTI, EXEC and DISCARD over RESP, with Redis 7's replies word for word.</summary>
public sealed class RespTransactionSpec(ITestOutputHelper output) : RespSpec(output)
{
    private const string ExecAbort = "-EXECABORT Transaction discarded because of previous errors.";
    private const string NotAllowed = "-ERR Command not allowed inside a transaction";

    [Fact]
    public async Task Multi_exec_runs_the_queued_commands_and_answers_each_reply_in_order()
    {
        await StartAsync();
        var client = await ConnectAsync();

        Assert.Equal("+OK", await client.CallAsync("MULTI"));
        Assert.Equal("+QUEUED", await client.CallAsync("SET", "a", "1"));
        Assert.Equal("+QUEUED", await client.CallAsync("INCR", "a"));
        Assert.Equal("+QUEUED", await client.CallAsync("PING"));
        Assert.Equal("+QUEUED", await client.CallAsync("GET", "a"));
        Assert.Equal("+QUEUED", await client.CallAsync("ECHO", "hi"));

        Assert.Equal("*[+OK, :2, +PONG, $2, $hi]", await client.CallAsync("EXEC"));
        Assert.Equal("$2", await client.CallAsync("GET", "a"));
    }

    [Fact]
    public async Task An_empty_transaction_answers_an_empty_array()
    {
        await StartAsync();
        var client = await ConnectAsync();

        Assert.Equal("+OK", await client.CallAsync("MULTI"));
        Assert.Equal("*[]", await client.CallAsync("EXEC"));
    }

    [Fact]
    public async Task An_error_while_queueing_makes_exec_answer_execabort_and_nothing_is_applied()
    {
        await StartAsync();
        var client = await ConnectAsync();
        await client.CallAsync("SET", "k", "old");

        Assert.Equal("+OK", await client.CallAsync("MULTI"));
        Assert.Equal("+QUEUED", await client.CallAsync("SET", "k", "new"));
        Assert.Equal("-ERR unknown command 'NOSUCH', with args beginning with: 'x' ", await client.CallAsync("NOSUCH", "x"));
        Assert.Equal("-ERR wrong number of arguments for 'get' command", await client.CallAsync("GET"));
        Assert.Equal("-ERR wrong number of arguments for 'exec' command", await client.CallAsync("EXEC", "now"));
        // Commands after the error are still checked and queued, as Redis does; EXEC then throws them all away.
        Assert.Equal("+QUEUED", await client.CallAsync("SET", "other", "v"));

        Assert.Equal(ExecAbort, await client.CallAsync("EXEC"));
        Assert.Equal("$old", await client.CallAsync("GET", "k"));
        Assert.Equal("$nil", await client.CallAsync("GET", "other"));
        // The transaction is over: the connection is back to normal.
        Assert.Equal("-ERR EXEC without MULTI", await client.CallAsync("EXEC"));
    }

    [Fact]
    public async Task A_runtime_error_inside_exec_does_not_undo_the_other_commands()
    {
        await StartAsync();
        var client = await ConnectAsync();
        await client.CallAsync("SET", "text", "abc");

        await client.CallAsync("MULTI");
        await client.CallAsync("SET", "a", "1");
        await client.CallAsync("INCR", "text");
        await client.CallAsync("SET", "b", "2");

        Assert.Equal("*[+OK, -ERR value is not an integer or out of range, +OK]", await client.CallAsync("EXEC"));
        Assert.Equal("$1", await client.CallAsync("GET", "a"));
        Assert.Equal("$2", await client.CallAsync("GET", "b"));
        Assert.Equal("$abc", await client.CallAsync("GET", "text"));
    }

    [Fact]
    public async Task Discard_drops_the_queued_commands_and_ends_the_transaction()
    {
        await StartAsync();
        var client = await ConnectAsync();

        Assert.Equal("-ERR DISCARD without MULTI", await client.CallAsync("DISCARD"));
        Assert.Equal("-ERR EXEC without MULTI", await client.CallAsync("EXEC"));
        await client.CallAsync("MULTI");
        Assert.Equal("+QUEUED", await client.CallAsync("SET", "k", "v"));

        Assert.Equal("+OK", await client.CallAsync("DISCARD"));
        Assert.Equal("$nil", await client.CallAsync("GET", "k"));
        Assert.Equal("-ERR EXEC without MULTI", await client.CallAsync("EXEC"));
    }

    [Fact]
    public async Task Nested_multi_and_watch_inside_multi_are_refused_without_failing_the_transaction()
    {
        await StartAsync();
        var client = await ConnectAsync();

        await client.CallAsync("MULTI");
        Assert.Equal("-ERR MULTI calls can not be nested", await client.CallAsync("MULTI"));
        Assert.Equal("-ERR WATCH inside MULTI is not allowed", await client.CallAsync("WATCH", "k"));
        Assert.Equal("+QUEUED", await client.CallAsync("SET", "k", "v"));

        Assert.Equal("*[+OK]", await client.CallAsync("EXEC"));
    }

    [Fact]
    public async Task Connection_and_whole_database_commands_are_refused_inside_multi_and_fail_the_transaction()
    {
        await StartAsync();
        var client = await ConnectAsync();

        await client.CallAsync("MULTI");
        Assert.Equal(NotAllowed, await client.CallAsync("SELECT", "1"));
        Assert.Equal(NotAllowed, await client.CallAsync("KEYS", "*"));
        Assert.Equal(NotAllowed, await client.CallAsync("WAITDISK"));
        Assert.Equal("+QUEUED", await client.CallAsync("SET", "k", "v"));

        Assert.Equal(ExecAbort, await client.CallAsync("EXEC"));
        Assert.Equal("$nil", await client.CallAsync("GET", "k"));
    }

    [Fact]
    public async Task Reset_ends_an_open_transaction()
    {
        await StartAsync();
        var client = await ConnectAsync();

        await client.CallAsync("MULTI");
        await client.CallAsync("SET", "k", "v");
        Assert.Equal("+RESET", await client.CallAsync("RESET"));

        Assert.Equal("-ERR EXEC without MULTI", await client.CallAsync("EXEC"));
        Assert.Equal("$nil", await client.CallAsync("GET", "k"));
    }

    [Fact]
    public async Task A_pipelined_transaction_gets_its_replies_in_order_while_a_key_loads_from_disk()
    {
        await StartAsync();
        Store.Seed("on-disk", "10");
        var client = await ConnectAsync();
        await client.CallAsync("SET", "in-memory", "1");

        Store.HoldReads();
        await client.SendAsync(["GET", "in-memory"], ["MULTI"], ["INCR", "on-disk"], ["SET", "new", "v"], ["EXEC"], ["GET", "new"]);
        // The transaction waits for the load of "on-disk", and the GET of "new" waits behind the transaction.
        await AwaitAssertAsync(async () => Assert.Equal(2, (await StatsOf(Node)).ParkedRequests));
        Store.ReleaseReads();

        Assert.Equal("$1", await client.ReadReplyAsync());
        Assert.Equal("+OK", await client.ReadReplyAsync());
        Assert.Equal("+QUEUED", await client.ReadReplyAsync());
        Assert.Equal("+QUEUED", await client.ReadReplyAsync());
        Assert.Equal("*[:11, +OK]", await client.ReadReplyAsync());
        Assert.Equal("$v", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Exec_answers_an_array_in_resp3_too()
    {
        await StartAsync();
        var client = await ConnectAsync();
        await client.CallAsync("HELLO", "3");

        await client.CallAsync("MULTI");
        await client.CallAsync("SET", "k", "v");
        await client.CallAsync("GET", "k");

        Assert.Equal("*[+OK, $v]", await client.CallAsync("EXEC"));
    }

    [Fact]
    public async Task Client_list_shows_how_many_commands_the_open_transaction_has_queued()
    {
        await StartAsync();
        var client = await ConnectAsync();
        Assert.Contains(" multi=-1 ", await client.CallAsync("CLIENT", "INFO"));

        await client.CallAsync("MULTI");
        await client.CallAsync("SET", "k", "v");
        await client.CallAsync("PING");
        var observer = await ConnectAsync();

        Assert.Contains(" multi=2 ", await observer.CallAsync("CLIENT", "LIST"));
    }
}
