using ActorCache.Node;
using ActorCache.Resp;
using ActorCache.Tests.Support;
using Akka.Configuration;
using Xunit.Abstractions;

namespace ActorCache.Tests.Resp;

/// <summary>
/// Base of the RESP specs: a node on the spec's fake store (see <see cref="NodeSpec"/>) with a RESP server on a free
/// loopback port, and raw socket clients to talk to it.
/// </summary>
public abstract class RespSpec(ITestOutputHelper output, string? config = null) : NodeSpec(output, config)
{
    private readonly List<IDisposable> _clients = [];

    protected RespServer Resp { get; private set; } = null!;

    protected ActorCacheNode Node { get; private set; } = null!;

    /// <summary>Starts the node and its RESP server with <paramref name="change"/> applied to the RESP settings.</summary>
    protected async Task StartAsync(
        Func<RespSettings, RespSettings>? change = null,
        Func<ActorCache.Settings.CacheSettings, ActorCache.Settings.CacheSettings>? node = null,
        Func<ActorCache.Storage.IDiskStore>? openStore = null)
    {
        (Node, _) = await StartNodeAsync(Settings(node), openStore);
        var settings = RespSettings.Create(ConfigurationFactory.ParseString("actor-cache.resp.port = 0"));
        Resp = await RespServer.StartAsync(Sys, Node, change is null ? settings : change(settings));
    }

    protected async Task<RawRespClient> ConnectAsync()
    {
        var client = await RawRespClient.ConnectAsync(Resp.EndPoint);
        _clients.Add(client);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var client in _clients) client.Dispose();
        if (disposing && Resp is not null) Resp.DisposeAsync().AsTask().GetAwaiter().GetResult();
        base.Dispose(disposing);
    }
}
