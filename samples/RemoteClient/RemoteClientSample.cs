using ActorCache.Client;
using Akka.Actor;
using Akka.Configuration;

namespace ActorCache.Samples.RemoteClient;

/// <summary>Connects to a running node over Akka.Remote, writes, reads, and prints what it did.</summary>
public static class RemoteClientSample
{
    public const string DefaultNodeAddress = "akka.tcp://actor-cache@127.0.0.1:4055";

    public static async Task RunAsync(string nodeAddress, TextWriter output)
    {
        var config = ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(CacheClientConfig.Remote());
        using var system = ActorSystem.Create("remote-sample", config);
        using var cache = await CacheClient.ConnectAsync(system, nodeAddress, new CacheClientOptions { RequestTimeout = TimeSpan.FromSeconds(5) });

        await cache.SetAsync("sample:greeting", "hello over Akka.Remote", TimeSpan.FromMinutes(10));
        output.WriteLine($"read back: {await cache.GetAsync("sample:greeting")}");
        output.WriteLine($"time to live: {await cache.TimeToLiveAsync("sample:greeting")}");
        output.WriteLine($"runs of this sample: {await cache.IncrementAsync("sample:runs")}");
        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => cache.SetAsync($"sample:item:{i}", $"value {i}")));
        output.WriteLine($"keys in database 0: {await cache.DatabaseSizeAsync()}");
        await system.Terminate();
    }
}
