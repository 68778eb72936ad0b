using System.Diagnostics;
using System.Text;
using ActorCache.Benchmarks.Harness;
using ActorCache.Benchmarks.Stores;
using ActorCache.Client;
using ActorCache.Node;
using ActorCache.Protocol;
using Akka.Actor;

namespace ActorCache.Benchmarks.InProc;

/// <summary>
/// In one process and one run: the bare actor pair, plain Ask, and ActorCache's embedded client (GET hits and SET),
/// each at the same concurrencies, so the ratios compare like with like on this machine at this moment.
/// </summary>
public static class InProcBenchmark
{
    private static readonly string[] Kinds = ["bare", "ask", "direct", "echo", "get", "set"];

    public static async Task RunAsync(Options options)
    {
        var concurrencies = options.Ints("concurrency", [1, 64, 1024]);
        var passes = options.Int("passes", 3);
        var windows = options.Int("windows", 3);
        var window = TimeSpan.FromSeconds(options.Double("window", 0.5));
        var settle = TimeSpan.FromSeconds(options.Double("settle", 0.3));
        var warmup = TimeSpan.FromSeconds(options.Double("warmup", 0.5));
        var storeKind = options.String("store", "rocksdb");
        var keyCount = options.Int("keys", 10_000);
        var valueSize = options.Int("value-size", 100);

        var dataDirectory = BenchSystem.TempFolder("actor-cache-bench-inproc-");
        var system = BenchSystem.Create("inproc", BenchSystem.NodeConfig(dataDirectory));
        try
        {
            var node = ActorCacheNode.Start(system, new CacheNodeOptions
            {
                OpenStore = storeKind switch
                {
                    "memory" => () => new MemoryStore(),
                    "rocksdb" => null,
                    _ => throw new ArgumentException($"--store must be rocksdb or memory, not {storeKind}"),
                },
            });
            var client = await CacheClient.ConnectAsync(system, node.Entry);
            var echo = system.ActorOf(Echo.Props(), "echo");
            var nullKeyspace = system.ActorOf(NullKeyspace.Props(new byte[valueSize]), "null-keyspace");
            var echoClient = await CacheClient.ConnectAsync(system, nullKeyspace);
            var keyspace0 = (await node.Entry.Ask<KeyspaceDirectory>(GetKeyspaces.Instance, TimeSpan.FromSeconds(10))).Keyspaces[0];
            var keys = Enumerable.Range(0, keyCount).Select(i => Encoding.UTF8.GetBytes($"key:{i:D8}")).ToArray();
            var value = new byte[valueSize];
            Random.Shared.NextBytes(value);
            await Task.WhenAll(keys.Select(k => client.SetAsync(k, value)));
            await node.FlushAsync(TimeSpan.FromSeconds(60));

            Load Create(string kind, int w) => kind switch
            {
                "bare" => new BarePairLoad(system, echo, w),
                "ask" => new AskLoad(echo, w),
                "direct" => new KeyspaceDirectLoad(system, keyspace0, keys, w),
                "echo" => new ClientGetLoad(echoClient, keys, w),
                "get" => new ClientGetLoad(client, keys, w),
                "set" => new ClientSetLoad(client, keys, value, w),
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };

            var kinds = options.StringOrNull("kinds")?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? Kinds;
            if (kinds.Except(Kinds).FirstOrDefault() is { } unknown) throw new ArgumentException($"unknown kind {unknown}; kinds are {string.Join(",", Kinds)}");
            var variants = concurrencies.SelectMany(w => kinds.Select(k => (Kind: k, W: w))).ToArray();
            Console.WriteLine($"inproc: {Environment.ProcessorCount} cores, .NET {Environment.Version}, store {storeKind}, {keyCount} keys, {valueSize}-byte values, "
                              + $"Server GC {System.Runtime.GCSettings.IsServerGC}");
            Console.WriteLine($"each measurement: settle {settle.TotalSeconds:F2} s + {windows} windows of {window.TotalSeconds:F2} s, {passes} passes (order rotated); "
                              + "figure = median over all windows");
            Console.WriteLine($"warm-up: {warmup.TotalSeconds:F2} s per variant");
            Console.WriteLine("bare = actor A keeps W correlated requests in flight to actor B (no Ask); ask = W tasks looping on Ask (no timeout);");
            Console.WriteLine("direct = an actor keeps W GET requests (CacheRequest, correlated by id) in flight straight to the keyspace actor (keyspace alone);");
            Console.WriteLine("echo = the real CacheClient.GetAsync against an actor that answers at once (client path alone); "
                              + "get / set = CacheClient.GetAsync (in-memory hits) / SetAsync against the node, W concurrent async loops");

            foreach (var (kind, w) in variants)
            {
                await MeasureAsync(() => Create(kind, w), TimeSpan.Zero, 1, warmup);
                await SettleAfterAsync(kind, node);
            }

            var samples = variants.ToDictionary(v => v, _ => new List<double>());
            var passMedians = variants.ToDictionary(v => v, _ => new List<double>());
            var perOp = variants.ToDictionary(v => v, _ => new Measurement());
            for (var pass = 0; pass < passes; pass++)
            {
                for (var i = 0; i < variants.Length; i++)
                {
                    var variant = variants[(i + pass * kinds.Length) % variants.Length];
                    var measured = await MeasureAsync(() => Create(variant.Kind, variant.W), settle, windows, window);
                    samples[variant].AddRange(measured.Rates);
                    perOp[variant].CpuNsPerOp.AddRange(measured.CpuNsPerOp);
                    perOp[variant].BytesPerOp.AddRange(measured.BytesPerOp);
                    perOp[variant].WorkItemsPerOp.AddRange(measured.WorkItemsPerOp);
                    passMedians[variant].Add(Stats.Median(measured.Rates));
                    await SettleAfterAsync(variant.Kind, node);
                }

                Console.Error.WriteLine($"pass {pass + 1}/{passes} done");
            }

            PrintRaw(variants, samples, passMedians, perOp);
            if (kinds.Length == Kinds.Length) PrintSummary(concurrencies, samples, passMedians, perOp);
        }
        finally
        {
            await BenchSystem.ShutdownAsync(system);
            BenchSystem.TryDelete(dataDirectory);
        }
    }

    /// <summary>
    /// Runs one load: settle, then <paramref name="windows"/> consecutive windows. Returns, for each window, ops/s and,
    /// per operation, the process CPU time in ns (all threads, background RocksDB work included), the bytes allocated
    /// and the thread-pool work items run. The per-operation figures hardly depend on other processes taking the cores,
    /// so they are the ones to compare on a noisy machine.
    /// </summary>
    private static async Task<Measurement> MeasureAsync(Func<Load> create, TimeSpan settle, int windows, TimeSpan window)
    {
        var load = create();
        load.Start();
        await Task.Delay(settle);
        var result = new Measurement();
        var clock = Stopwatch.StartNew();
        var count = load.Completed;
        var at = clock.Elapsed;
        var cpuAt = ProcessCpu();
        var allocatedAt = GC.GetTotalAllocatedBytes();
        var workItemsAt = ThreadPool.CompletedWorkItemCount;
        for (var i = 0; i < windows; i++)
        {
            await Task.Delay(window);
            var nextCount = load.Completed;
            var nextAt = clock.Elapsed;
            var nextCpu = ProcessCpu();
            var nextAllocated = GC.GetTotalAllocatedBytes();
            var nextWorkItems = ThreadPool.CompletedWorkItemCount;
            double ops = Math.Max(1, nextCount - count);
            result.Rates.Add((nextCount - count) / (nextAt - at).TotalSeconds);
            result.CpuNsPerOp.Add((nextCpu - cpuAt).TotalMilliseconds * 1e6 / ops);
            result.BytesPerOp.Add((nextAllocated - allocatedAt) / ops);
            result.WorkItemsPerOp.Add((nextWorkItems - workItemsAt) / ops);
            (count, at, cpuAt, allocatedAt, workItemsAt) = (nextCount, nextAt, nextCpu, nextAllocated, nextWorkItems);
        }

        await load.StopAsync();
        return result;
    }

    /// <summary>Per window: ops/s, process CPU ns, bytes allocated and thread-pool work items, each per operation.</summary>
    private sealed class Measurement
    {
        public List<double> Rates { get; } = [];

        public List<double> CpuNsPerOp { get; } = [];

        public List<double> BytesPerOp { get; } = [];

        public List<double> WorkItemsPerOp { get; } = [];
    }

    private static TimeSpan ProcessCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>Between measurements: SET leaves dirty keys, so push them to disk; then collect what the load left behind.</summary>
    private static async Task SettleAfterAsync(string kind, ActorCacheNode node)
    {
        if (kind == "set") await node.FlushAsync(TimeSpan.FromSeconds(60));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static void PrintRaw(
        (string Kind, int W)[] variants,
        Dictionary<(string Kind, int W), List<double>> samples,
        Dictionary<(string Kind, int W), List<double>> passMedians,
        Dictionary<(string Kind, int W), Measurement> perOp)
    {
        Console.WriteLine();
        Console.WriteLine("raw: ops/s median, min, max over all windows; per operation (median over windows): process CPU ns, bytes allocated,");
        Console.WriteLine("thread-pool work items; ops/s median of each pass");
        Console.WriteLine($"{"variant",-14}{"median",9}{"min",9}{"max",9}{"CPU ns",8}{"bytes",7}{"items",7}   per pass");
        foreach (var v in variants)
        {
            var s = samples[v];
            var m = perOp[v];
            var perPass = string.Join("  ", passMedians[v].Select(Stats.Rate));
            Console.WriteLine($"{v.Kind + " W=" + v.W,-14}{Stats.Rate(Stats.Median(s)),9}{Stats.Rate(s.Min()),9}{Stats.Rate(s.Max()),9}"
                              + $"{Stats.Median(m.CpuNsPerOp),8:F0}{Stats.Median(m.BytesPerOp),7:F0}{Stats.Median(m.WorkItemsPerOp),7:F2}   {perPass}");
        }
    }

    private static void PrintSummary(
        int[] concurrencies,
        Dictionary<(string Kind, int W), List<double>> samples,
        Dictionary<(string Kind, int W), List<double>> passMedians,
        Dictionary<(string Kind, int W), Measurement> perOp)
    {
        double M(string kind, int w) => Stats.Median(samples[(kind, w)]);

        // The variants of one W run back to back in each pass, so a ratio within a pass compares like moments.
        double PassRatio(string kind, string reference, int w) =>
            Stats.Median(passMedians[(kind, w)].Zip(passMedians[(reference, w)], (a, b) => a / b).ToList());

        Console.WriteLine();
        Console.WriteLine("summary: median ops/s over all windows");
        Console.WriteLine($"{"W",6}{"bare",10}{"Ask",10}{"direct",10}{"echo",10}{"AC GET",10}{"AC SET",10}");
        foreach (var w in concurrencies)
        {
            Console.WriteLine($"{w,6}{Stats.Rate(M("bare", w)),10}{Stats.Rate(M("ask", w)),10}{Stats.Rate(M("direct", w)),10}{Stats.Rate(M("echo", w)),10}"
                              + $"{Stats.Rate(M("get", w)),10}{Stats.Rate(M("set", w)),10}");
        }

        PrintRatios("ratios: ratio of the medians above [median of the per-pass ratios]",
            [("get", "bare"), ("get", "ask"), ("set", "bare"), ("set", "ask")]);
        PrintRatios("where the gap goes: direct/bare = keyspace cost, echo/bare = client-path cost; GET/direct = what the client adds, GET/echo = what the keyspace adds",
            [("direct", "bare"), ("echo", "bare"), ("get", "direct"), ("get", "echo")]);

        void PrintRatios(string title, (string Kind, string Reference)[] ratios)
        {
            Console.WriteLine();
            Console.WriteLine(title);
            Console.WriteLine($"{"W",6}" + string.Concat(ratios.Select(r => $"{Label(r.Kind) + "/" + Label(r.Reference),16}")));
            foreach (var w in concurrencies)
            {
                Console.WriteLine($"{w,6}" + string.Concat(ratios.Select(r =>
                    $"{$"{Stats.Ratio(M(r.Kind, w) / M(r.Reference, w))} [{Stats.Ratio(PassRatio(r.Kind, r.Reference, w))}]",16}")));
            }
        }

        PrintPerOp("process CPU ns per operation (lower is better; steadier than ops/s on a busy machine)", m => m.CpuNsPerOp, "F0");
        PrintPerOp("bytes allocated per operation", m => m.BytesPerOp, "F0");
        PrintPerOp("thread-pool work items per operation", m => m.WorkItemsPerOp, "F2");

        void PrintPerOp(string title, Func<Measurement, List<double>> figure, string format)
        {
            Console.WriteLine();
            Console.WriteLine(title + ", median over windows");
            Console.WriteLine($"{"W",6}{"bare",10}{"Ask",10}{"direct",10}{"echo",10}{"AC GET",10}{"AC SET",10}");
            foreach (var w in concurrencies)
            {
                Console.WriteLine($"{w,6}" + string.Concat(Kinds.Select(k => Stats.Median(figure(perOp[(k, w)])).ToString(format, System.Globalization.CultureInfo.InvariantCulture).PadLeft(10))));
            }
        }

        static string Label(string kind) => kind switch { "get" => "GET", "set" => "SET", "ask" => "Ask", _ => kind };
    }
}
