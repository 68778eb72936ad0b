using ActorCache.Node;
using ActorCache.Samples.EmbeddedCache;
using ActorCache.Samples.RemoteClient;
using ActorCache.Settings;
using Akka.Actor;
using Akka.Configuration;
using Xunit;

namespace ActorCache.Tests.Samples;

/// <summary>The samples run as a user would run them, and print what they claim.</summary>
public sealed class SamplesSpec : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("actor-cache-samples-").FullName;

    [Fact]
    public async Task The_embedded_sample_uses_the_node_from_a_client_and_from_an_actor()
    {
        var output = new StringWriter();

        await EmbeddedCacheSample.RunAsync(_dataDirectory, output);

        var text = output.ToString();
        Assert.Contains("client read: hello from the embedded client", text, StringComparison.Ordinal);
        Assert.Contains("actor counted /home views: 3", text, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(_dataDirectory, "rocksdb")));
    }

    [Fact]
    public async Task The_remote_client_sample_talks_to_a_running_node()
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
            akka.loglevel = WARNING
            actor-cache.data-dir = "{{_dataDirectory.Replace("\\", "/", StringComparison.Ordinal)}}"
            """).WithFallback(CacheSettings.DefaultConfig);
        using var nodeSystem = ActorSystem.Create("actor-cache", config);
        ActorCacheNode.Start(nodeSystem);
        var output = new StringWriter();

        await RemoteClientSample.RunAsync(((ExtendedActorSystem)nodeSystem).Provider.DefaultAddress.ToString(), output);

        var text = output.ToString();
        Assert.Contains("read back: hello over Akka.Remote", text, StringComparison.Ordinal);
        Assert.Contains("runs of this sample: 1", text, StringComparison.Ordinal);
        Assert.Contains("keys in database 0: 102", text, StringComparison.Ordinal);
        await nodeSystem.Terminate();
    }

    public void Dispose()
    {
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
