using System.Text;
using ActorCache.Client;
using ActorCache.Node;
using ActorCache.Protocol;
using ActorCache.Settings;
using Akka.Actor;
using Akka.Configuration;

namespace ActorCache.Samples.EmbeddedCache;

/// <summary>
/// A node inside your own ActorSystem, used two ways: through the typed client from ordinary async code, and by an
/// actor of yours that Tells the node requests and gets correlated replies.
/// </summary>
public static class EmbeddedCacheSample
{
    public static async Task RunAsync(string dataDirectory, TextWriter output)
    {
        var config = ConfigurationFactory.ParseString($"actor-cache.data-dir = \"{dataDirectory.Replace("\\", "/", StringComparison.Ordinal)}\"\nakka.loglevel = WARNING")
            .WithFallback(CacheSettings.DefaultConfig);
        using var system = ActorSystem.Create("embedded-sample", config);
        var node = ActorCacheNode.Start(system);

        var cache = await CacheClient.ConnectAsync(system, node.Entry);
        await cache.SetAsync("greeting", "hello from the embedded client");
        output.WriteLine($"client read: {await cache.GetAsync("greeting")}");

        var counter = system.ActorOf(Props.Create(() => new PageViewCounter(node.Entry)), "page-views");
        for (var i = 0; i < 3; i++) counter.Tell(new PageViewCounter.Viewed("/home"));
        var views = await counter.Ask<long>(new PageViewCounter.HowMany("/home"), TimeSpan.FromSeconds(10));
        output.WriteLine($"actor counted /home views: {views}");

        await node.FlushAsync(TimeSpan.FromSeconds(10));
        output.WriteLine($"everything is on disk in {Path.GetFullPath(dataDirectory)}");
        await system.Terminate();
    }
}

/// <summary>An actor that keeps page-view counters in the cache with INCR and reads them back with GET.</summary>
public sealed class PageViewCounter : ReceiveActor
{
    private readonly Dictionary<long, IActorRef> _waiting = new();
    private long _nextId;

    public PageViewCounter(IActorRef cacheNode)
    {
        Receive<Viewed>(viewed => cacheNode.Tell(new CacheRequest(0, 0, [Bytes("INCR"), Bytes("views:" + viewed.Page)])));
        Receive<HowMany>(question =>
        {
            var id = ++_nextId;
            _waiting[id] = Sender;
            cacheNode.Tell(new CacheRequest(id, 0, [Bytes("GET"), Bytes("views:" + question.Page)]));
        });
        Receive<CacheReply>(reply =>
        {
            // INCRs are sent with id 0 and need no answer; a GET's reply goes to whoever asked.
            if (!_waiting.Remove(reply.CorrelationId, out var asker)) return;
            var count = reply.Reply is BulkStringReply { Value: { } bytes } ? long.Parse(Encoding.ASCII.GetString(bytes), System.Globalization.CultureInfo.InvariantCulture) : 0;
            asker.Tell(count);
        });
    }

    public sealed record Viewed(string Page);

    public sealed record HowMany(string Page);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
