using ActorCache.Client;
using ActorCache.Node;
using ActorCache.Settings;
using ActorCache.Storage;
using Akka.Actor;
using Akka.Configuration;
using Xunit;

namespace ActorCache.Tests.Node;

/// <summary>
/// On the real stores, in ActorSystems of their own: graceful shutdown (CoordinatedShutdown, as Ctrl+C or SIGTERM
/// run it) leaves every dirty key on disk, and a new node on the same folder reads it back.
/// </summary>
public sealed class DurabilitySpec : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("actor-cache-durability-").FullName;

    public static TheoryData<string> Backends => new() { "rocksdb", "file" };

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Graceful_shutdown_leaves_every_dirty_key_on_disk(string backend)
    {
        // A flush delay of an hour: nothing reaches the disk unless shutdown pushes it.
        var (system, client) = await StartAsync(backend, "1 h");
        for (var i = 0; i < 500; i++) await client.SetAsync($"key-{i}", $"value-{i}");
        await client.DeleteAsync("key-7");

        await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);

        using var store = DiskStoreFactory.Open(backend, _dataDirectory);
        var keys = Enumerable.Range(0, 500).Select(i => System.Text.Encoding.UTF8.GetBytes($"key-{i}")).ToArray();
        var values = store.MultiGet(0, keys);
        for (var i = 0; i < 500; i++)
        {
            if (i == 7)
            {
                Assert.Null(values[i]);
                continue;
            }

            Assert.Equal($"value-{i}", System.Text.Encoding.UTF8.GetString(RecordCodec.Decode(values[i]!).Payload));
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_value_survives_a_node_restart(string backend)
    {
        var (first, client) = await StartAsync(backend, "1 s");
        await client.SetAsync("greeting", "hello");
        await client.WithDatabase(3).SetAsync("binary", "\0\u00ff");
        await first.Terminate();

        var (second, restarted) = await StartAsync(backend, "1 s");
        Assert.Equal("hello", await restarted.GetAsync("greeting"));
        Assert.Equal("\0\u00ff", await restarted.WithDatabase(3).GetAsync("binary"));
        Assert.Equal(1, await restarted.DatabaseSizeAsync());
        await second.Terminate();
    }

    private async Task<(ActorSystem System, ICacheClient Client)> StartAsync(string backend, string flushDelay)
    {
        var config = ConfigurationFactory.ParseString($$"""
            actor-cache {
              data-dir = "{{_dataDirectory.Replace("\\", "/", StringComparison.Ordinal)}}"
              backend = {{backend}}
              cache-flush-delay = {{flushDelay}}
            }
            akka.loglevel = WARNING
            """).WithFallback(CacheSettings.DefaultConfig);
        var system = ActorSystem.Create("durability", config);
        var node = ActorCacheNode.Start(system);
        return (system, await CacheClient.ConnectAsync(system, node.Entry));
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
