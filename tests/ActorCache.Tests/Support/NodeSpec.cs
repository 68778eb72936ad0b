using System.Text;
using ActorCache.Client;
using ActorCache.Keyspace;
using ActorCache.Node;
using ActorCache.Protocol;
using ActorCache.Settings;
using ActorCache.Storage;
using Akka.Actor;
using Akka.Configuration;
using Xunit.Abstractions;

namespace ActorCache.Tests.Support;

/// <summary>
/// Base of the specs that run a whole node in the TestKit's ActorSystem: a temp folder each, settings over the
/// embedded defaults, a fake store unless the spec asks for a real one, and a connected client.
/// </summary>
public abstract class NodeSpec : Akka.TestKit.Xunit2.TestKit, IDisposable
{
    private int _nodeCount;

    protected NodeSpec(ITestOutputHelper output, string? config = null)
        : base(ConfigurationFactory.ParseString(config ?? "").WithFallback(CacheSettings.DefaultConfig), output: output)
    {
        DataDirectory = Directory.CreateTempSubdirectory("actor-cache-spec-").FullName;
    }

    protected string DataDirectory { get; }

    protected FakeDiskStore Store { get; } = new();

    protected ManualClock Clock { get; } = new();

    /// <summary>Settings for a node in this spec: the embedded defaults with a short flush delay, then <paramref name="change"/>.</summary>
    protected CacheSettings Settings(Func<CacheSettings, CacheSettings>? change = null)
    {
        var settings = CacheSettings.Create(Sys) with
        {
            DataDirectory = DataDirectory,
            CacheFlushDelay = TimeSpan.Zero,
        };
        return change is null ? settings : change(settings);
    }

    /// <summary>Starts a node on <see cref="Store"/> (or <paramref name="openStore"/>) and connects a client to database 0.</summary>
    protected async Task<(ActorCacheNode Node, ICacheClient Client)> StartNodeAsync(
        CacheSettings? settings = null, Func<IDiskStore>? openStore = null, TimeProvider? clock = null)
    {
        var node = ActorCacheNode.Start(Sys, new CacheNodeOptions
        {
            Settings = settings ?? Settings(),
            OpenStore = openStore ?? (() => Store),
            Clock = clock ?? Clock,
            ActorName = $"actor-cache-{++_nodeCount}",
        });
        var client = await CacheClient.ConnectAsync(Sys, node.Entry);
        return (node, client);
    }

    /// <summary>The keyspace actor of <paramref name="database"/>, for specs that look at its IO state.</summary>
    protected async Task<IActorRef> KeyspaceOf(ActorCacheNode node, int database = 0) =>
        (await node.Entry.Ask<KeyspaceDirectory>(GetKeyspaces.Instance, RemainingOrDefault)).Keyspaces[database];

    internal async Task<KeyspaceStats> StatsOf(ActorCacheNode node, int database = 0) =>
        await (await KeyspaceOf(node, database)).Ask<KeyspaceStats>(GetKeyspaceStats.Instance, RemainingOrDefault);

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected static string Text(RedisReply reply) => reply switch
    {
        BulkStringReply { Value: { } bytes } => Encoding.UTF8.GetString(bytes),
        BulkStringReply => "(nil)",
        IntegerReply i => i.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        SimpleStringReply s => s.Value,
        ErrorReply e => e.Message,
        _ => reply.ToString(),
    };

    protected override void Dispose(bool disposing)
    {
        // Open the gates first: shutdown flushes through the store.
        Store.ReleaseReads();
        Store.ReleaseWrites();
        base.Dispose(disposing);
        if (!disposing) return;
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A store file still closing; the OS temp cleaner takes it.
        }
    }
}
