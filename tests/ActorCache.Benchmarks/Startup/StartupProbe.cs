using System.Diagnostics;
using System.Globalization;
using System.Text;
using ActorCache.Benchmarks.Harness;
using ActorCache.Client;
using ActorCache.Node;
using ActorCache.Settings;
using ActorCache.Storage;

namespace ActorCache.Benchmarks.Startup;

/// <summary>
/// The child process of the startup benchmark (hidden subcommand): starts an ActorSystem and a node on a data folder,
/// GETs one key through the client, and prints the time since the process started at each step.
/// </summary>
public static class StartupProbe
{
    public const string Command = "startup-probe";

    /// <summary>The line the parent parses: "probe" then name=value pairs.</summary>
    public const string LinePrefix = "probe ";

    public static async Task<int> RunAsync(string[] args)
    {
        var started = Process.GetCurrentProcess().StartTime;
        double SinceStart() => (DateTime.Now - started).TotalMilliseconds;
        var main = SinceStart();
        if (args.Length != 2)
        {
            Console.Error.WriteLine($"usage: {Command} <data-dir> <key>");
            return 2;
        }

        var dataDirectory = args[0];
        var key = Encoding.UTF8.GetBytes(args[1]);
        var system = BenchSystem.Create("startup", BenchSystem.NodeConfig(dataDirectory));
        var systemReady = SinceStart();
        // The store the node would open by default, opened the same way, with its open and its first read timed.
        var settings = CacheSettings.Create(system);
        TimedStore? store = null;
        var node = ActorCacheNode.Start(system, new CacheNodeOptions
        {
            Settings = settings,
            OpenStore = () => store = new TimedStore(SinceStart, () => DiskStoreFactory.Open(settings.Backend, settings.DataDirectory)),
        });
        var nodeStarted = SinceStart();
        var client = await CacheClient.ConnectAsync(system, node.Entry);
        var connected = SinceStart();
        var value = await client.GetAsync(key);
        var got = SinceStart();

        var t = Volatile.Read(ref store)!;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{LinePrefix}total-ms={got:F1} main-ms={main:F1} system-ms={systemReady:F1} node-ms={nodeStarted:F1} connect-ms={connected:F1} "
            + $"open-start-ms={t.OpenStart:F1} open-end-ms={t.OpenEnd:F1} read-start-ms={t.ReadStart:F1} read-end-ms={t.ReadEnd:F1} "
            + $"pool-threads={ThreadPool.ThreadCount} value-bytes={value?.Length ?? -1}"));
        await BenchSystem.ShutdownAsync(system);
        return 0;
    }

    /// <summary>Records when the store was opened and when its first multi-get ran, in ms since process start.</summary>
    private sealed class TimedStore : IDiskStore
    {
        private readonly Func<double> _now;
        private readonly IDiskStore _inner;

        public TimedStore(Func<double> now, Func<IDiskStore> open)
        {
            _now = now;
            OpenStart = now();
            _inner = open();
            OpenEnd = now();
        }

        public double OpenStart { get; }

        public double OpenEnd { get; }

        public double ReadStart { get; private set; } = double.NaN;

        public double ReadEnd { get; private set; } = double.NaN;

        public string Description => _inner.Description;

        public IReadOnlyList<byte[]?> MultiGet(int database, IReadOnlyList<byte[]> keys)
        {
            var first = double.IsNaN(ReadStart);
            if (first) ReadStart = _now();
            var result = _inner.MultiGet(database, keys);
            if (first) ReadEnd = _now();
            return result;
        }

        public void Write(int database, IReadOnlyList<StoreWrite> writes) => _inner.Write(database, writes);

        public void DeleteDatabase(int database) => _inner.DeleteDatabase(database);

        public StoreScanPage Scan(int database, ulong cursor, int count) => _inner.Scan(database, cursor, count);

        public void Dispose() => _inner.Dispose();
    }
}
