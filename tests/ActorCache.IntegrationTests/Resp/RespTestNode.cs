using ActorCache.Node;
using ActorCache.Resp;
using ActorCache.Settings;
using Akka.Actor;
using Akka.Configuration;
using StackExchange.Redis;

namespace ActorCache.IntegrationTests.Resp;

/// <summary>
/// A node running in this test process: its own ActorSystem, the RocksDB store in a given folder, and the RESP server
/// on 127.0.0.1 with a free port. <see cref="DisposeAsync"/> shuts the system down gracefully (CoordinatedShutdown:
/// RESP stops listening, every dirty key is flushed, the store is closed).
/// </summary>
internal sealed class RespTestNode : IAsyncDisposable
{
    private RespTestNode(ActorSystem system, ActorCacheNode node, RespServer server)
    {
        System = system;
        Node = node;
        Server = server;
    }

    public ActorSystem System { get; }

    public ActorCacheNode Node { get; }

    public RespServer Server { get; }

    public int Port => Server.EndPoint.Port;

    /// <summary>An SE.Redis configuration for this node: no abort on connect, short timeouts so a failure shows fast.</summary>
    public ConfigurationOptions ClientOptions(string? password = null, bool allowAdmin = false, bool failFast = false)
    {
        var options = ConfigurationOptions.Parse($"127.0.0.1:{Port}");
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 5000;
        options.SyncTimeout = 10000;
        options.AsyncTimeout = 10000;
        options.Password = password;
        options.AllowAdmin = allowAdmin;
        if (failFast)
        {
            // Commands fail at once while there is no connection, instead of waiting in SE.Redis's backlog.
            options.BacklogPolicy = BacklogPolicy.FailFast;
            options.ConnectTimeout = 1000;
            options.ConnectRetry = 1;
        }

        return options;
    }

    public Task<ConnectionMultiplexer> ConnectAsync(string? password = null, bool allowAdmin = false, TextWriter? log = null, bool failFast = false) =>
        ConnectionMultiplexer.ConnectAsync(ClientOptions(password, allowAdmin, failFast), log);

    /// <param name="folder">The data folder (RocksDB); the same folder again reopens what an earlier node wrote.</param>
    /// <param name="resp">Extra HOCON inside <c>actor-cache.resp { }</c>, such as <c>requirepass = secret</c>.</param>
    public static async Task<RespTestNode> StartAsync(string folder, string resp = "")
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            actor-cache.resp {
              host = "127.0.0.1"
              port = 0
              {{resp}}
            }
            """).WithFallback(RespSettings.DefaultConfig);
        var system = ActorSystem.Create("resp-spec", config);
        try
        {
            var node = ActorCacheNode.Start(system, new CacheNodeOptions
            {
                Settings = CacheSettings.Create(config) with { DataDirectory = folder },
            });
            var server = await RespServer.StartAsync(system, node, RespSettings.Create(config));
            return new RespTestNode(system, node, server);
        }
        catch
        {
            await system.Terminate();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);
        await System.WhenTerminated;
    }
}
