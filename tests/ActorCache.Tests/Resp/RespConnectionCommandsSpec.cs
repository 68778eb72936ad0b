using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Resp;

/// <summary>PING, ECHO, SELECT, AUTH, HELLO, QUIT, RESET and CLIENT behave as in Redis.</summary>
public sealed class RespConnectionCommandsSpec(ITestOutputHelper output) : RespSpec(output)
{
    [Fact]
    public async Task Ping_and_echo_answer_at_once()
    {
        await StartAsync();
        var client = await ConnectAsync();
        Assert.Equal("+PONG", await client.CallAsync("PING"));
        Assert.Equal("$hello", await client.CallAsync("PING", "hello"));
        Assert.Equal("$a b", await client.CallAsync("ECHO", "a b"));
        Assert.Equal("-ERR wrong number of arguments for 'echo' command", await client.CallAsync("ECHO"));
    }

    [Fact]
    public async Task Select_keeps_databases_apart_and_refuses_a_database_that_does_not_exist()
    {
        await StartAsync();
        var client = await ConnectAsync();
        Assert.Equal("+OK", await client.CallAsync("SET", "k", "zero"));
        Assert.Equal("+OK", await client.CallAsync("SELECT", "5"));
        Assert.Equal("$nil", await client.CallAsync("GET", "k"));
        Assert.Equal("+OK", await client.CallAsync("SET", "k", "five"));
        Assert.Equal("-ERR DB index is out of range", await client.CallAsync("SELECT", "16"));
        Assert.Equal("-ERR value is not an integer or out of range", await client.CallAsync("SELECT", "x"));
        Assert.Equal("$five", await client.CallAsync("GET", "k"));
        Assert.Equal("+OK", await client.CallAsync("SELECT", "0"));
        Assert.Equal("$zero", await client.CallAsync("GET", "k"));
    }

    [Fact]
    public async Task With_requirepass_only_auth_hello_and_quit_work_until_the_right_password_is_given()
    {
        await StartAsync(resp => resp with { RequirePass = "s3cret" });
        var client = await ConnectAsync();
        Assert.Equal("-NOAUTH Authentication required.", await client.CallAsync("GET", "k"));
        Assert.Equal("-NOAUTH Authentication required.", await client.CallAsync("PING"));
        Assert.Equal("-NOAUTH Authentication required.", await client.CallAsync("CONFIG", "GET", "*"));
        Assert.StartsWith("-NOAUTH HELLO must be called with the client already authenticated", await client.CallAsync("HELLO", "3"));
        Assert.Equal("-WRONGPASS invalid username-password pair or user is disabled.", await client.CallAsync("AUTH", "wrong"));
        Assert.Equal("-WRONGPASS invalid username-password pair or user is disabled.", await client.CallAsync("AUTH", "someone", "s3cret"));
        Assert.Equal("+OK", await client.CallAsync("AUTH", "s3cret"));
        Assert.Equal("$nil", await client.CallAsync("GET", "k"));

        var other = await ConnectAsync();
        Assert.Equal("+OK", await other.CallAsync("AUTH", "default", "s3cret"));
        Assert.Equal("+PONG", await other.CallAsync("PING"));

        var leaving = await ConnectAsync();
        Assert.Equal("+OK", await leaving.CallAsync("QUIT"));
        Assert.True(await leaving.IsClosedByServerAsync());
    }

    [Fact]
    public async Task Auth_without_a_configured_password_is_an_error()
    {
        await StartAsync();
        var client = await ConnectAsync();
        Assert.StartsWith("-ERR AUTH <password> called without any password configured", await client.CallAsync("AUTH", "x"));
    }

    [Fact]
    public async Task Hello_3_switches_to_resp3_maps_and_nulls_and_hello_2_switches_back()
    {
        await StartAsync();
        var client = await ConnectAsync();
        var hello = await client.CallAsync("HELLO", "3");
        Assert.StartsWith("%{$server, $redis, $version, $7.0.15, $proto, :3, $id, :", hello);
        Assert.Equal("_", await client.CallAsync("GET", "missing"));
        Assert.StartsWith("*[$server, $redis", await client.CallAsync("HELLO", "2"));
        Assert.Equal("$nil", await client.CallAsync("GET", "missing"));
        Assert.Equal("-NOPROTO unsupported protocol version", await client.CallAsync("HELLO", "4"));
    }

    [Fact]
    public async Task Hello_can_authenticate_and_name_the_connection()
    {
        await StartAsync(resp => resp with { RequirePass = "pw" });
        var client = await ConnectAsync();
        Assert.StartsWith("-NOAUTH HELLO must be called with the client already authenticated", await client.CallAsync("HELLO", "3"));
        Assert.StartsWith("-WRONGPASS", await client.CallAsync("HELLO", "3", "AUTH", "default", "nope"));
        Assert.StartsWith("%{$server", await client.CallAsync("HELLO", "3", "AUTH", "default", "pw", "SETNAME", "worker-1"));
        Assert.Equal("$worker-1", await client.CallAsync("CLIENT", "GETNAME"));
    }

    [Fact]
    public async Task Quit_answers_ok_and_closes_the_connection()
    {
        await StartAsync();
        var client = await ConnectAsync();
        Assert.Equal("+OK", await client.CallAsync("QUIT"));
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task Reset_returns_to_database_zero_resp2_and_no_name()
    {
        await StartAsync();
        var client = await ConnectAsync();
        await client.CallAsync("SET", "k", "zero");
        await client.CallAsync("SELECT", "2");
        await client.CallAsync("CLIENT", "SETNAME", "n");
        await client.CallAsync("HELLO", "3");
        Assert.Equal("+RESET", await client.CallAsync("RESET"));
        Assert.Equal("$zero", await client.CallAsync("GET", "k"));
        Assert.Equal("$nil", await client.CallAsync("CLIENT", "GETNAME"));
        Assert.Equal("$nil", await client.CallAsync("GET", "missing"));
    }

    [Fact]
    public async Task Client_commands_name_list_and_kill_connections()
    {
        await StartAsync();
        var first = await ConnectAsync();
        var second = await ConnectAsync();
        Assert.Equal("-ERR Client names cannot contain spaces, newlines or special characters.", await first.CallAsync("CLIENT", "SETNAME", "a b"));
        Assert.Equal("+OK", await first.CallAsync("CLIENT", "SETNAME", "first"));
        Assert.Equal("+OK", await second.CallAsync("CLIENT", "SETINFO", "LIB-NAME", "spec"));
        var secondId = (await second.CallAsync("CLIENT", "ID"))[1..];

        var list = await first.CallAsync("CLIENT", "LIST");
        Assert.Contains("name=first", list);
        Assert.Contains($"id={secondId} ", list);
        Assert.Contains("lib-name=spec", list);
        Assert.Equal(2, list.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        Assert.Equal(":1", await first.CallAsync("CLIENT", "KILL", "ID", secondId));
        Assert.True(await second.IsClosedByServerAsync());
        Assert.Equal("+PONG", await first.CallAsync("PING"));
        Assert.StartsWith("-ERR unknown subcommand 'NOPE'", await first.CallAsync("CLIENT", "NOPE"));
    }

    [Fact]
    public async Task Client_kill_skips_the_caller_unless_asked_and_a_caller_that_kills_itself_gets_its_replies_first()
    {
        await StartAsync();
        var client = await ConnectAsync();
        var self = (await client.CallAsync("CLIENT", "INFO")).Split(' ').Single(field => field.StartsWith("addr=", StringComparison.Ordinal))["addr=".Length..];
        await client.SendAsync(["SET", "k", "v"], ["CLIENT", "KILL", "ADDR", self], ["PING"]);
        Assert.Equal("+OK", await client.ReadReplyAsync());
        Assert.Equal(":0", await client.ReadReplyAsync());
        Assert.Equal("+PONG", await client.ReadReplyAsync());
        Assert.Equal("-ERR client-id should be greater than 0", await client.CallAsync("CLIENT", "KILL", "ID", "0"));

        await client.SendAsync(["CLIENT", "KILL", "ADDR", self, "SKIPME", "no"], ["PING"]);
        Assert.Equal(":1", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedByServerAsync());

        var old = await ConnectAsync();
        var oldSelf = (await old.CallAsync("CLIENT", "INFO")).Split(' ').Single(field => field.StartsWith("addr=", StringComparison.Ordinal))["addr=".Length..];
        Assert.Equal("+OK", await old.CallAsync("CLIENT", "KILL", oldSelf));
        Assert.True(await old.IsClosedByServerAsync());
    }

    [Fact]
    public async Task Clearing_requirepass_at_run_time_lets_connections_already_open_in()
    {
        await StartAsync(resp => resp with { RequirePass = "pw" });
        var waiting = await ConnectAsync();
        Assert.Equal("-NOAUTH Authentication required.", await waiting.CallAsync("PING"));
        var admin = await ConnectAsync();
        Assert.Equal("+OK", await admin.CallAsync("AUTH", "pw"));
        Assert.Equal("+OK", await admin.CallAsync("CONFIG", "SET", "requirepass", ""));
        Assert.Equal("+PONG", await waiting.CallAsync("PING"));
    }

    [Fact]
    public async Task Select_reads_its_index_as_redis_does()
    {
        await StartAsync();
        var client = await ConnectAsync();
        Assert.Equal("-ERR value is not an integer or out of range", await client.CallAsync("SELECT", "01"));
        Assert.Equal("-ERR value is not an integer or out of range", await client.CallAsync("SELECT", "+1"));
        Assert.Equal("+OK", await client.CallAsync("SELECT", "1"));
    }
}
