using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.IntegrationTests.Resp;

/// <summary>A node with <c>requirepass</c>: the right password opens it, a wrong one or none does not.</summary>
public sealed class AuthSpec(ITestOutputHelper output) : RespSpec
{
    private const string Password = "s3cret-pass";

    protected override string RespConfig => $"requirepass = \"{Password}\"";

    [Fact]
    public async Task A_multiplexer_with_the_right_password_works()
    {
        var multiplexer = await ConnectAsync(Password);

        Assert.True(multiplexer.IsConnected);
        var db = multiplexer.GetDatabase();
        await db.StringSetAsync("guarded", "value");
        Assert.Equal("value", (string?)await db.StringGetAsync("guarded"));
    }

    [Fact]
    public async Task A_multiplexer_with_a_wrong_password_cannot_run_commands()
    {
        await using var proxy = new RecordingProxy(Node.Server.EndPoint);
        var options = Node.ClientOptions("wrong-password", failFast: true);
        options.EndPoints.Clear();
        options.EndPoints.Add("127.0.0.1", proxy.Port);
        using var multiplexer = await ConnectionMultiplexer.ConnectAsync(options);

        // SE.Redis 3.x with abortConnect=false: the handshake's AUTH is refused (WRONGPASS), the commands pipelined
        // behind it get NOAUTH, the endpoint never becomes connected and every command fails with a connection
        // exception. With BacklogPolicy.FailFast it fails at once as UnableToResolvePhysicalConnection whose inner
        // exception is the AuthenticationFailure (with the default backlog: after the async timeout, as
        // AuthenticationFailure).
        Assert.False(multiplexer.IsConnected);
        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => multiplexer.GetDatabase().StringGetAsync("guarded"));
        output.WriteLine(error.ToString());
        output.WriteLine("sent:\n  " + string.Join("\n  ", proxy.Commands));
        output.WriteLine("errors:\n  " + string.Join("\n  ", proxy.Errors));
        AssertAuthenticationFailure(error);
        // SE.Redis retries the handshake, so the node sees (and refuses) it more than once.
        Assert.Contains("AUTH wrong-password", proxy.Commands);
        Assert.Contains("WRONGPASS invalid username-password pair or user is disabled.", proxy.Errors);
        Assert.All(proxy.Errors, e => Assert.True(e.StartsWith("WRONGPASS", StringComparison.Ordinal) || e.StartsWith("NOAUTH", StringComparison.Ordinal), e));
    }

    [Fact]
    public async Task A_multiplexer_without_a_password_cannot_run_commands()
    {
        var multiplexer = await ConnectAsync(failFast: true);

        Assert.False(multiplexer.IsConnected);
        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => multiplexer.GetDatabase().StringGetAsync("guarded"));
        output.WriteLine(error.ToString());
        AssertAuthenticationFailure(error);
    }

    [Fact]
    public async Task A_raw_client_without_auth_gets_NOAUTH_and_wrong_auth_gets_WRONGPASS()
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync("127.0.0.1", Node.Port);
        var stream = socket.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);

        async Task<string?> Send(string command)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command));
            return await reader.ReadLineAsync();
        }

        Assert.Equal("-NOAUTH Authentication required.", await Send("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"));
        Assert.Equal("-WRONGPASS invalid username-password pair or user is disabled.", await Send("*2\r\n$4\r\nAUTH\r\n$5\r\nwrong\r\n"));
        Assert.Equal("-NOAUTH Authentication required.", await Send("*1\r\n$6\r\nDBSIZE\r\n"));
        Assert.Equal("+OK", await Send($"*2\r\n$4\r\nAUTH\r\n${Password.Length}\r\n{Password}\r\n"));
        Assert.Equal("$-1", await Send("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"));
    }

    private static void AssertAuthenticationFailure(RedisConnectionException error)
    {
        Assert.Equal(ConnectionFailureType.UnableToResolvePhysicalConnection, error.FailureType);
        var cause = Assert.IsType<RedisConnectionException>(error.InnerException);
        Assert.Equal(ConnectionFailureType.AuthenticationFailure, cause.FailureType);
    }
}
