using CsCheck;
using ActorCache.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Resp;

/// <summary>Bad input from one client gets a clear error, closes at most that client's connection, and loses nothing.</summary>
public sealed class RespBadInputSpec(ITestOutputHelper output) : RespSpec(output)
{
    [Fact]
    public async Task A_malformed_frame_gets_a_protocol_error_and_closes_only_that_connection()
    {
        await StartAsync();
        var bystander = await ConnectAsync();
        Assert.Equal("+OK", await bystander.CallAsync("SET", "k", "v"));

        var bad = await ConnectAsync();
        await bad.SendRawAsync("*2\r\n$3\r\nGET\r\n!1\r\nk\r\n"u8.ToArray());
        Assert.Equal("-ERR Protocol error: expected '$', got '!'", await bad.ReadReplyAsync());
        Assert.True(await bad.IsClosedByServerAsync());

        Assert.Equal("$v", await bystander.CallAsync("GET", "k"));
    }

    [Fact]
    public async Task Commands_before_a_malformed_frame_in_the_same_read_still_run_and_answer()
    {
        await StartAsync();
        var client = await ConnectAsync();
        await client.SendRawAsync([.. RawRespClient.Encode(["SET", "k", "v"], ["GET", "k"]), .. "*1\r\n$x\r\n"u8.ToArray()]);
        Assert.Equal("+OK", await client.ReadReplyAsync());
        Assert.Equal("$v", await client.ReadReplyAsync());
        Assert.Equal("-ERR Protocol error: invalid bulk length", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task A_bulk_longer_than_proto_max_bulk_len_is_refused_before_it_is_buffered()
    {
        await StartAsync(resp => resp with { Limits = resp.Limits with { MaxBulkLength = 1024 } });
        var client = await ConnectAsync();
        await client.SendRawAsync("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000\r\n"u8.ToArray());
        Assert.Equal("-ERR Protocol error: invalid bulk length", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task A_request_bigger_than_the_query_buffer_limit_closes_the_connection()
    {
        await StartAsync(resp => resp with { Limits = resp.Limits with { MaxQueryBufferLength = 64 * 1024 } });
        var client = await ConnectAsync();
        // Each argument is under proto-max-bulk-len, but the request as a whole keeps growing past the limit.
        await client.SendRawAsync("*100\r\n"u8.ToArray());
        var chunk = System.Text.Encoding.ASCII.GetBytes("$10000\r\n" + new string('x', 10000) + "\r\n");
        for (var i = 0; i < 10; i++) await client.SendRawAsync(chunk);
        Assert.Equal("-ERR Protocol error: query buffer limit exceeded", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task Clients_beyond_maxclients_are_told_and_closed()
    {
        await StartAsync(resp => resp with { MaxClients = 2 });
        var first = await ConnectAsync();
        var second = await ConnectAsync();
        Assert.Equal("+PONG", await first.CallAsync("PING"));
        Assert.Equal("+PONG", await second.CallAsync("PING"));
        var third = await ConnectAsync();
        Assert.Equal("-ERR max number of clients reached", await third.ReadReplyAsync());
        Assert.True(await third.IsClosedByServerAsync());
        Assert.Equal("+PONG", await first.CallAsync("PING"));
    }

    [Fact]
    public async Task An_idle_client_is_closed_after_the_timeout()
    {
        await StartAsync(resp => resp with { IdleTimeout = TimeSpan.FromSeconds(1) });
        var client = await ConnectAsync();
        Assert.Equal("+PONG", await client.CallAsync("PING"));
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task Unknown_commands_and_wrong_arity_are_errors_that_keep_the_connection()
    {
        await StartAsync();
        var client = await ConnectAsync();
        Assert.Equal("-ERR unknown command 'NOPE', with args beginning with: 'a' ", await client.CallAsync("NOPE", "a"));
        Assert.Equal("-ERR wrong number of arguments for 'get' command", await client.CallAsync("GET"));
        Assert.Equal("-ERR wrong number of arguments for 'select' command", await client.CallAsync("SELECT"));
        Assert.Equal("+PONG", await client.CallAsync("PING"));
    }

    [Fact]
    public async Task Inline_commands_work_as_in_telnet()
    {
        await StartAsync();
        var client = await ConnectAsync();
        await client.SendRawAsync("SET greeting \"hello world\"\r\nGET greeting\r\n\r\nPING\n"u8.ToArray());
        Assert.Equal("+OK", await client.ReadReplyAsync());
        Assert.Equal("$hello world", await client.ReadReplyAsync());
        Assert.Equal("+PONG", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Random_truncated_and_oversized_frames_leave_the_node_answering_with_its_data()
    {
        await StartAsync(resp => resp with { Limits = resp.Limits with { MaxBulkLength = 4096, MaxQueryBufferLength = 16 * 1024 } });
        var keeper = await ConnectAsync();
        Assert.Equal("+OK", await keeper.CallAsync("SET", "kept", "safe"));
        var valid = RawRespClient.Encode(["SET", "a", "b"], ["GET", "a"], ["MGET", "a", "kept"]);
        var frames = Gen.OneOf(
            Gen.Byte.Array[0, 512],
            Gen.Int[0, valid.Length].Select(n => valid[..n]),
            Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte, (i, b) => { var copy = (byte[])valid.Clone(); copy[i] = b; return copy; }),
            Gen.Const("*1\r\n$99999999\r\n"u8.ToArray()),
            Gen.Const(System.Text.Encoding.ASCII.GetBytes(new string('A', 70 * 1024))));

        await frames.SampleAsync(async bytes =>
        {
            using var client = await RawRespClient.ConnectAsync(Resp.EndPoint);
            await client.SendRawAsync(bytes);
        }, iter: 300, threads: 1);

        Assert.Equal("+PONG", await keeper.CallAsync("PING"));
        Assert.Equal("$safe", await keeper.CallAsync("GET", "kept"));
        var fresh = await ConnectAsync();
        Assert.Equal("$safe", await fresh.CallAsync("GET", "kept"));
    }

    [Fact]
    public async Task Before_auth_a_client_may_send_only_small_requests_and_after_auth_in_the_same_write_anything()
    {
        await StartAsync(resp => resp with { RequirePass = "pw" });
        var greedy = await ConnectAsync();
        await greedy.SendRawAsync("*11\r\n"u8.ToArray());
        Assert.Equal("-ERR Protocol error: unauthenticated multibulk length", await greedy.ReadReplyAsync());
        Assert.True(await greedy.IsClosedByServerAsync());

        var big = await ConnectAsync();
        await big.SendRawAsync("*2\r\n$4\r\nAUTH\r\n$500000000\r\n"u8.ToArray());
        Assert.Equal("-ERR Protocol error: unauthenticated bulk length", await big.ReadReplyAsync());
        Assert.True(await big.IsClosedByServerAsync());

        var client = await ConnectAsync();
        var value = new string('v', 100_000);
        await client.SendAsync(["AUTH", "pw"], ["SET", "k", value], ["STRLEN", "k"]);
        Assert.Equal("+OK", await client.ReadReplyAsync());
        Assert.Equal("+OK", await client.ReadReplyAsync());
        Assert.Equal(":100000", await client.ReadReplyAsync());
    }
}
