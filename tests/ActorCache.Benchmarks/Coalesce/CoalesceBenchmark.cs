using System.Diagnostics;
using System.Text;
using ActorCache.Benchmarks.Harness;
using ActorCache.Benchmarks.Stores;
using ActorCache.Client;
using ActorCache.Node;
using ActorCache.Storage;

namespace ActorCache.Benchmarks.Coalesce;

/// <summary>
/// Write coalescing: many SETs over few keys with a flush delay should cost about one disk write per key per
/// delay period, not one per SET. Counts what reaches the RocksDB store through a <see cref="CountingStore"/>.
/// </summary>
public static class CoalesceBenchmark
{
    public static async Task RunAsync(Options options)
    {
        var sets = options.Int("sets", 1_000_000);
        var keyCount = options.Int("keys", 10_000);
        var concurrency = options.Int("concurrency", 64);
        var runs = options.Int("runs", 3);
        var valueSize = options.Int("value-size", 100);
        var flushDelay = options.Duration("flush-delay", TimeSpan.FromSeconds(1));

        Console.WriteLine($"coalesce: {sets:N0} SETs over {keyCount:N0} keys, {valueSize}-byte values, {concurrency} concurrent loops, "
                          + $"cache-flush-delay {flushDelay.TotalSeconds:F2} s, rocksdb; {runs} runs, each on a fresh folder");
        Console.WriteLine();
        Console.WriteLine($"{"run",4}{"SET s",9}{"SET/s",10}{"flush s",9}{"wall s",9}{"writes",10}{"batches",9}{"loads",8}"
                          + $"{"writes/SET",12}{"writes/key",12}{"w. during",11}");
        var results = new List<RunResult>();
        for (var run = 1; run <= runs; run++)
        {
            var result = await RunOnceAsync(sets, keyCount, concurrency, valueSize, flushDelay);
            results.Add(result);
            Console.WriteLine($"{run,4}{result.SetSeconds,9:F2}{Stats.Rate(sets / result.SetSeconds),10}{result.FlushSeconds,9:F2}"
                              + $"{result.WallSeconds,9:F2}{result.KeyWrites,10:N0}{result.WriteBatches,9:N0}{result.KeyReads,8:N0}"
                              + $"{(double)result.KeyWrites / sets,12:F4}{(double)result.KeyWrites / keyCount,12:F2}{result.KeyWritesDuringSets,11:N0}");
        }

        double Med(Func<RunResult, double> f) => Stats.Median(results.Select(f).ToList());
        Console.WriteLine();
        Console.WriteLine($"median: disk writes per SET {Med(r => (double)r.KeyWrites / sets):F4} "
                          + $"({Med(r => r.KeyWrites):N0} key writes in {Med(r => r.WriteBatches):N0} batches for {sets:N0} SETs), "
                          + $"SET phase {Med(r => r.SetSeconds):F2} s ({Stats.Rate(Med(r => sets / r.SetSeconds))} SET/s), "
                          + $"flush {Med(r => r.FlushSeconds):F2} s, wall {Med(r => r.WallSeconds):F2} s");
        var setSeconds = Med(r => r.SetSeconds);
        Console.WriteLine($"reference: at least {keyCount:N0} key writes (every key once); write-behind allows at most about "
                          + $"{keyCount * (Math.Floor(setSeconds / flushDelay.TotalSeconds) + 1):N0} "
                          + $"(one per key per {flushDelay.TotalSeconds:F2} s flush delay over the {setSeconds:F2} s SET phase, plus the final flush); "
                          + $"without coalescing it would be {sets:N0}");
    }

    private static async Task<RunResult> RunOnceAsync(int sets, int keyCount, int concurrency, int valueSize, TimeSpan flushDelay)
    {
        var dataDirectory = BenchSystem.TempFolder("actor-cache-bench-coalesce-");
        var system = BenchSystem.Create("coalesce", BenchSystem.NodeConfig(
            dataDirectory, $"cache-flush-delay = {flushDelay.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} ms"));
        CountingStore? store = null;
        try
        {
            var node = ActorCacheNode.Start(system, new CacheNodeOptions
            {
                OpenStore = () => store = new CountingStore(DiskStoreFactory.Open("rocksdb", dataDirectory)),
            });
            var client = await CacheClient.ConnectAsync(system, node.Entry);
            if (node.Settings.CacheFlushDelay != flushDelay) throw new InvalidOperationException("cache-flush-delay was not applied");
            var keys = Enumerable.Range(0, keyCount).Select(i => Encoding.UTF8.GetBytes($"key:{i:D8}")).ToArray();
            var value = new byte[valueSize];
            Random.Shared.NextBytes(value);

            var wall = Stopwatch.StartNew();
            var loops = Enumerable.Range(0, concurrency).Select(loop => Task.Run(async () =>
            {
                // Loop i does SETs i, i + concurrency, ...: every key is hit evenly and all along the run.
                for (long n = loop; n < sets; n += concurrency)
                {
                    if (!await client.SetAsync(keys[n % keyCount], value)) throw new InvalidOperationException("SET was refused");
                }
            }));
            await Task.WhenAll(loops);
            var setSeconds = wall.Elapsed.TotalSeconds;
            var writesDuringSets = store!.KeyWrites;

            var flushStart = wall.Elapsed;
            await node.FlushAsync(TimeSpan.FromSeconds(120));
            var flushSeconds = (wall.Elapsed - flushStart).TotalSeconds;
            var wallSeconds = wall.Elapsed.TotalSeconds;

            return new RunResult(setSeconds, flushSeconds, wallSeconds, store.KeyWrites, store.WriteBatches, store.KeyReads, writesDuringSets);
        }
        finally
        {
            await BenchSystem.ShutdownAsync(system);
            BenchSystem.TryDelete(dataDirectory);
        }
    }

    private sealed record RunResult(
        double SetSeconds, double FlushSeconds, double WallSeconds, long KeyWrites, long WriteBatches, long KeyReads, long KeyWritesDuringSets);
}
