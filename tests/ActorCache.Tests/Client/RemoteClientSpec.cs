using System.Text;
using ActorCache.Client;
using ActorCache.Node;
using ActorCache.Protocol;
using ActorCache.Settings;
using Akka.Actor;
using Akka.Configuration;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.ClientSpecs; // not ".Client": that would hide ActorCache.Client in the other specs

/// <summary>
/// A remote client in the TestKit's ActorSystem talking over loopback Akka.Remote to a node in a second ActorSystem
/// of the same process (RocksDB in a temp folder). Both systems run with serialize-messages on, so every protocol
/// message crosses as our wire format, and the network really carries it.
/// </summary>
public sealed class RemoteClientSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(1);
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("actor-cache-remote-").FullName;
    private readonly List<ActorSystem> _nodeSystems = [];

    public RemoteClientSpec(ITestOutputHelper output)
        : base(ConfigurationFactory.ParseString("""
            akka.actor.serialize-messages = on
            akka.loglevel = WARNING
            """).WithFallback(CacheClientConfig.Remote()), output: output)
    {
    }

    [Fact]
    public async Task Many_requests_in_flight_each_get_their_own_reply()
    {
        var (_, address) = StartNode();
        var client = await CacheClient.ConnectAsync(Sys, address);

        var sets = Enumerable.Range(0, 1000).Select(i => client.SetAsync($"key-{i}", $"value-{i}")).ToArray();
        Assert.All(await Task.WhenAll(sets), Assert.True);
        var gets = Enumerable.Range(0, 1000).Select(i => client.GetAsync($"key-{i}")).ToArray();
        var values = await Task.WhenAll(gets);
        for (var i = 0; i < values.Length; i++) Assert.Equal($"value-{i}", values[i]);

        // From many threads at once, into several databases: every reply still finds its own request.
        var parallel = await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            var database = client.WithDatabase(t % 4 + 1);
            await Task.WhenAll(Enumerable.Range(0, 250).Select(i => database.SetAsync($"t{t}-{i}", $"{t}:{i}")));
            var read = await Task.WhenAll(Enumerable.Range(0, 250).Select(i => database.GetAsync($"t{t}-{i}")));
            return read.Select((value, i) => value == $"{t}:{i}").All(ok => ok);
        })));
        Assert.All(parallel, Assert.True);

        var increments = Enumerable.Range(0, 200).Select(_ => client.IncrementAsync("counter")).ToArray();
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), (await Task.WhenAll(increments)).Order());
        Assert.Null(await client.GetAsync("missing"));
        Assert.Equal(1001, await client.DatabaseSizeAsync());
        await client.FlushToDiskAsync();
    }

    [Fact]
    public async Task Other_databases_and_error_replies_work_remotely()
    {
        var (_, address) = StartNode();
        using var client = await CacheClient.ConnectAsync(Sys, address, new CacheClientOptions { Database = 3 });

        Assert.Equal(3, client.Database);
        await client.SetAsync("k", "three");
        Assert.Null(await client.WithDatabase(0).GetAsync("k"));
        Assert.Equal("three", await client.GetAsync("k"));
        Assert.Equal(RedisReply.Bulk("hr"), await client.ExecuteAsync("GETRANGE", "k", "1", "2"));
        var error = await Assert.ThrowsAsync<CacheException>(() => client.IncrementAsync("k"));
        Assert.Contains("not an integer", error.Message, StringComparison.Ordinal);
        var outOfRange = await Assert.ThrowsAsync<CacheException>(() => client.WithDatabase(99).GetAsync("k"));
        Assert.Contains("DB index", outOfRange.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transactions_with_conditions_run_remotely()
    {
        var (_, address) = StartNode();
        using var client = await CacheClient.ConnectAsync(Sys, address, new CacheClientOptions { Database = 2 });
        await client.SetAsync("version", "1");
        var versionIsOne = TransactionCondition.ValueEquals(Encoding.UTF8.GetBytes("version"), Encoding.UTF8.GetBytes("1"));

        var applied = await client.TransactionAsync([["SET", "version", "2"], ["INCR", "edits"]], versionIsOne);
        var refused = await client.TransactionAsync([["SET", "version", "3"], ["INCR", "edits"]], versionIsOne);
        var aborted = await client.TransactionAsync([["SET", "version", "4"], ["GET"]]);

        Assert.Equal(new ArrayReply([RedisReply.Ok, RedisReply.One]), applied);
        Assert.Equal(RedisReply.NilArray, refused);
        Assert.StartsWith("EXECABORT", Assert.IsType<ErrorReply>(aborted).Message, StringComparison.Ordinal);
        Assert.Equal("2", await client.GetAsync("version"));
        Assert.Equal(1, await client.IncrementAsync("edits", 0));
        Assert.Equal(RedisReply.Error("ERR DB index is out of range"), await client.WithDatabase(99).TransactionAsync([["SET", "k", "v"]]));
    }

    [Fact]
    public async Task A_request_to_a_stopped_node_fails_with_CacheUnavailableException()
    {
        var (nodeSystem, address) = StartNode();
        var client = await CacheClient.ConnectAsync(Sys, address, new CacheClientOptions { RequestTimeout = ShortTimeout });
        await client.SetAsync("k", "v");

        await nodeSystem.Terminate();

        var error = await Assert.ThrowsAsync<CacheUnavailableException>(() => client.GetAsync("k"));
        Assert.Equal(address, error.NodeAddress);
        Assert.Contains(address, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connecting_to_a_node_that_is_not_there_fails_with_CacheUnavailableException()
    {
        var (nodeSystem, address) = StartNode();
        await nodeSystem.Terminate();

        var error = await Assert.ThrowsAsync<CacheUnavailableException>(() =>
            CacheClient.ConnectAsync(Sys, address, new CacheClientOptions { RequestTimeout = ShortTimeout }));
        Assert.Equal(address, error.NodeAddress);
    }

    [Fact]
    public async Task The_same_client_works_again_after_the_node_restarts()
    {
        var (first, address) = StartNode();
        var client = await CacheClient.ConnectAsync(Sys, address, new CacheClientOptions { RequestTimeout = ShortTimeout });
        await client.SetAsync("greeting", "hello");
        await client.FlushToDiskAsync();
        var port = first.Provider().DefaultAddress.Port!.Value;

        await first.Terminate();
        await Assert.ThrowsAsync<CacheUnavailableException>(() => client.GetAsync("greeting"));
        StartNode(port);

        await AwaitAssertAsync(
            async () => Assert.Equal("hello", await client.GetAsync("greeting")),
            TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(100));
        // Every database reaches the new incarnation, not only the one that was asked.
        await client.WithDatabase(5).SetAsync("after", "restart");
        Assert.Equal("restart", await client.WithDatabase(5).GetAsync("after"));
    }

    [Fact]
    public async Task Connect_fails_with_CacheUnavailableException_when_the_client_system_shuts_down_meanwhile()
    {
        // Nothing listens there, and the timeout is long: only the end of the client's system can end the wait.
        const string nowhere = "akka.tcp://actor-cache@127.0.0.1:1";
        var system = ActorSystem.Create("client-shut-down-while-connecting", CacheClientConfig.Remote());
        var connecting = CacheClient.ConnectAsync(system, nowhere, new CacheClientOptions { RequestTimeout = TimeSpan.FromMinutes(5) });

        await system.Terminate();

        var error = await Assert.ThrowsAsync<CacheUnavailableException>(() => connecting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(nowhere, error.NodeAddress);
        Assert.Contains(nowhere, error.Message, StringComparison.Ordinal);
        Assert.Contains("the client's ActorSystem was shut down while connecting", error.Message, StringComparison.Ordinal);
        // Connecting with a system that is already gone says the same at once.
        var late = await Assert.ThrowsAsync<CacheUnavailableException>(() => CacheClient.ConnectAsync(system, nowhere));
        Assert.Contains("shut down while connecting", late.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_of_a_client_whose_system_shuts_down_fail_with_CacheUnavailableException()
    {
        var (nodeSystem, address) = StartNode();
        var system = ActorSystem.Create("client-shut-down-while-busy", CacheClientConfig.Remote());
        var client = await CacheClient.ConnectAsync(system, address, new CacheClientOptions { RequestTimeout = TimeSpan.FromMinutes(5) });
        await client.SetAsync("k", "v");
        // The node goes away, so no request gets an answer, and the long timeout ends none of them.
        await nodeSystem.Terminate();
        var unanswered = client.GetAsync("k");

        // Requests waiting for a reply, requests still in the client actor's mailbox, and requests sent while and
        // after it stops: all of them end, none hangs.
        var burst = Enumerable.Range(0, 20_000).Select(_ => client.GetAsync("k")).ToList();
        var sender = Task.Run(() =>
        {
            var sent = new List<Task<string?>>();
            for (var i = 0; i < 50_000; i++) sent.Add(client.GetAsync("k"));
            return sent;
        });
        await system.Terminate();
        burst.AddRange(await sender);

        var outcomes = await Task.WhenAll(burst.Select(t => t.ContinueWith(done => done.Exception?.InnerException)))
            .WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(outcomes, e => Assert.IsType<CacheUnavailableException>(e));
        var error = await Assert.ThrowsAsync<CacheUnavailableException>(() => unanswered.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(address, error.NodeAddress);
        Assert.Contains("the client's ActorSystem was shut down", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CacheUnavailableException>(() => client.GetAsync("k").WaitAsync(TimeSpan.FromSeconds(1)));
        await Assert.ThrowsAsync<CacheUnavailableException>(() => client.FlushToDiskAsync().WaitAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_disposed_client_fails_its_calls_with_CacheUnavailableException()
    {
        var (_, address) = StartNode();
        var client = await CacheClient.ConnectAsync(Sys, address);
        await client.SetAsync("k", "v");

        client.Dispose();

        var error = await Assert.ThrowsAsync<CacheUnavailableException>(async () =>
        {
            // The stop is a message: calls told before it may still be answered.
            while (true) await client.GetAsync("k").WaitAsync(TimeSpan.FromSeconds(5));
        });
        Assert.Contains("the client was stopped", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_client_config_binds_every_protocol_message_to_our_serializer()
    {
        object[] messages = [new CacheRequest(1, 0, []), new CacheReply(1, RedisReply.Ok), GetKeyspaces.Instance, new KeyspaceDirectory([]), FlushToDisk.Instance, FlushedToDisk.Instance];

        Assert.All(messages, m => Assert.IsType<ProtocolSerializer>(Sys.Serialization.FindSerializerFor(m)));
        Assert.True(Sys.Settings.SerializeAllMessages);
    }

    [Fact]
    public async Task A_request_over_the_frame_limit_fails_at_once_with_a_clear_error_and_the_client_goes_on()
    {
        var (_, address) = StartNode(extraConfig: "akka.remote.dot-netty.tcp.maximum-frame-size = 16 MiB");
        using var client = await CacheClient.ConnectAsync(Sys, address, new CacheClientOptions { RequestTimeout = TimeSpan.FromMinutes(5) });

        var error = await Assert.ThrowsAsync<CacheException>(() => client.SetAsync(Encoding.UTF8.GetBytes("big"), new byte[17 * 1024 * 1024]));
        Assert.Contains("maximum-frame-size", error.Message);
        Assert.True(await client.SetAsync(Encoding.UTF8.GetBytes("fits"), new byte[1024 * 1024]));
        Assert.Equal(1024 * 1024, (await client.GetAsync(Encoding.UTF8.GetBytes("fits")))!.Length);
    }

    [Fact]
    public async Task A_reply_over_the_nodes_frame_limit_comes_back_as_an_error_reply_not_a_timeout()
    {
        var (nodeSystem, address) = StartNode(extraConfig: "akka.remote.dot-netty.tcp.maximum-frame-size = 64 KiB");
        var local = await CacheClient.ConnectAsync(nodeSystem, await nodeSystem.ActorSelection("/user/actor-cache").ResolveOne(ShortTimeout));
        await local.SetAsync(Encoding.UTF8.GetBytes("big"), new byte[100 * 1024]);
        using var client = await CacheClient.ConnectAsync(Sys, address, new CacheClientOptions { RequestTimeout = TimeSpan.FromMinutes(5) });

        var error = await Assert.ThrowsAsync<CacheException>(() => client.GetAsync(Encoding.UTF8.GetBytes("big")));
        Assert.Contains("frame limit", error.Message);
        Assert.Equal(102400, await client.ExecuteAsync("STRLEN", "big") is IntegerReply { Value: var length } ? length : -1);
    }

    [Fact]
    public async Task Connect_needs_an_actor_system_with_remoting()
    {
        using var local = ActorSystem.Create("local");
        await Assert.ThrowsAsync<InvalidOperationException>(() => CacheClient.ConnectAsync(local, "akka.tcp://actor-cache@127.0.0.1:4055"));
        await Assert.ThrowsAsync<ArgumentException>(() => CacheClient.ConnectAsync(Sys, "not an address"));
    }

    [Fact]
    public async Task Get_stats_works_remotely_and_a_stopped_node_fails_it_with_CacheUnavailableException()
    {
        var (nodeSystem, address) = StartNode();
        using var client = await CacheClient.ConnectAsync(Sys, address, new CacheClientOptions { Database = 2, RequestTimeout = ShortTimeout });
        await client.SetAsync("k", "v");
        Assert.Equal("v", await client.GetAsync("k"));
        Assert.Null(await client.GetAsync("missing"));

        var stats = await client.GetStatsAsync();

        Assert.Equal(16, stats.Databases.Count);
        var two = stats.Databases[2];
        Assert.Equal((1, 1, 1, 1), (two.KeysInMemory, two.Hits, two.Misses, two.DiskLoads));
        Assert.Equal(1, stats.Hits);

        await nodeSystem.Terminate();
        var error = await Assert.ThrowsAsync<CacheUnavailableException>(client.GetStatsAsync);
        Assert.Equal(address, error.NodeAddress);
    }

    private (ActorSystem System, string Address) StartNode(int port = 0, string extraConfig = "")
    {
        var config = ConfigurationFactory.ParseString(extraConfig).WithFallback(ConfigurationFactory.ParseString($$"""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp {
              hostname = "127.0.0.1"
              port = {{port}}
            }
            akka.actor.serialize-messages = on
            akka.loglevel = WARNING
            actor-cache {
              data-dir = "{{_dataDirectory.Replace("\\", "/", StringComparison.Ordinal)}}"
              backend = rocksdb
              cache-flush-delay = 100 ms
            }
            """)).WithFallback(CacheSettings.DefaultConfig);
        var system = ActorSystem.Create("actor-cache", config);
        _nodeSystems.Add(system);
        ActorCacheNode.Start(system);
        return (system, system.Provider().DefaultAddress.ToString());
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var system in _nodeSystems) system.Terminate().Wait(TimeSpan.FromSeconds(20));
        base.Dispose(disposing);
        if (!disposing) return;
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }
}

internal static class ActorSystemExtensions
{
    public static IActorRefProvider Provider(this ActorSystem system) => ((ExtendedActorSystem)system).Provider;
}
