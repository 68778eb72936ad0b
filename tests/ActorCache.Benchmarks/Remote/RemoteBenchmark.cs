using System.Diagnostics;
using System.Globalization;
using System.Text;
using ActorCache.Benchmarks.Harness;
using ActorCache.Client;
using ActorCache.Protocol;
using Akka.Actor;
using Akka.Configuration;

namespace ActorCache.Benchmarks.Remote;

/// <summary>
/// "remote": a client process (this one) and a server node (ActorCache.Server as a child process) over Akka.Remote on
/// 127.0.0.1. Per W (requests in flight) it measures an echo (an empty command, answered by the keyspace at once with
/// "ERR empty command" without touching data) and GET hits and SETs, all through the same remote CacheClient.
/// </summary>
public static class RemoteBenchmark
{
    private const string ListeningPrefix = "ActorCache node listening at ";

    private const string Quiet = """
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
        }
        """;

    public static async Task RunAsync(Options options)
    {
        var concurrency = options.Ints("concurrency", [1, 100, 1000]);
        var measure = options.Duration("measure", TimeSpan.FromSeconds(3));
        var settle = options.Duration("settle", TimeSpan.FromSeconds(0.5));
        var keyCount = options.Int("keys", 10_000);
        var valueSize = options.Int("value-size", 100);
        var server = options.StringOrNull("server") ?? FindServer();

        var dataDir = BenchSystem.TempFolder("actor-cache-bench-remote-");
        Process? child = null;
        ActorSystem? system = null;
        try
        {
            (child, var entry) = await StartServerAsync(server, dataDir);
            var address = entry[..entry.IndexOf("/user/", StringComparison.Ordinal)];
            Console.WriteLine($"server: {server} (pid {child.Id}) at {address}, data in {dataDir}");

            system = ActorSystem.Create("bench-client", ConfigurationFactory.ParseString(Quiet).WithFallback(CacheClientConfig.Remote()));
            var client = await CacheClient.ConnectAsync(system, address, new CacheClientOptions { RequestTimeout = TimeSpan.FromSeconds(30) });

            var probe = await client.ExecuteAsync(Array.Empty<byte[]>());
            if (probe is not ErrorReply { Message: var message } || !message.Contains("empty command", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"echo: expected ERR empty command, got {probe}");
            }

            var keys = Enumerable.Range(0, keyCount).Select(i => Encoding.UTF8.GetBytes($"bench:{i:D6}")).ToArray();
            var value = new byte[valueSize];
            Random.Shared.NextBytes(value);
            await Parallel.ForEachAsync(Enumerable.Range(0, keyCount), new ParallelOptions { MaxDegreeOfParallelism = 64 },
                async (i, _) => await client.SetAsync(keys[i], value));
            if (await client.GetAsync(keys[0]) is not { } got || got.Length != valueSize) throw new InvalidOperationException("preload failed");

            Console.WriteLine($"""

                client: this process, remote CacheClient (CacheClientConfig.Remote, Akka.Remote classic TCP) on 127.0.0.1.
                W async loops, each awaiting one request at a time, all on the same client; {settle.TotalSeconds:0.#} s settle, then {measure.TotalSeconds:0.#} s measured per row.
                  echo = client.ExecuteAsync(no arguments): a CacheRequest with an empty command, answered by the keyspace
                         actor at once with "ERR empty command" (no data touched): the cheapest round trip over the same
                         client, serializer and remoting path.
                  get  = client.GetAsync on {keyCount:N0} preloaded keys (hits in memory).
                  set  = client.SetAsync on the same keys, {valueSize}-byte values (write-behind, cache-flush-delay=1s).
                latency = per request, from the call to the completed await, in microseconds.

                """);

            // Warm-up (JIT, tiering, connection): one short run of each kind.
            foreach (var kind in Kinds) await MeasureAsync(client, kind, 64, keys, value, TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(0.5));

            var results = new Dictionary<(string Kind, int W), Row>();
            Console.WriteLine($"{"kind",-5} {"W",5} {"ops/s",9} {"p50 us",9} {"p99 us",9} {"ops",9}");
            foreach (var w in concurrency)
            {
                foreach (var kind in Kinds)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    var row = await MeasureAsync(client, kind, w, keys, value, settle, measure);
                    results[(kind, w)] = row;
                    Console.WriteLine($"{kind,-5} {w,5} {Stats.Rate(row.OpsPerSecond),9} {row.P50Us,9:F0} {row.P99Us,9:F0} {row.Ops,9}");
                }
            }

            Console.WriteLine();
            Console.WriteLine("ratios (ops/s; latency ratios are p50 and p99 of ActorCache over echo)");
            Console.WriteLine($"{"W",5} {"GET/echo",9} {"SET/echo",9} {"GET p50",8} {"GET p99",8} {"SET p50",8} {"SET p99",8}");
            foreach (var w in concurrency)
            {
                var echo = results[("echo", w)];
                var get = results[("get", w)];
                var set = results[("set", w)];
                Console.WriteLine($"{w,5} {Stats.Ratio(get.OpsPerSecond / echo.OpsPerSecond),9} {Stats.Ratio(set.OpsPerSecond / echo.OpsPerSecond),9} "
                                  + $"{Stats.Ratio(get.P50Us / echo.P50Us),8} {Stats.Ratio(get.P99Us / echo.P99Us),8} "
                                  + $"{Stats.Ratio(set.P50Us / echo.P50Us),8} {Stats.Ratio(set.P99Us / echo.P99Us),8}");
            }

            client.Dispose();
        }
        finally
        {
            if (system is not null) await system.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
            if (child is not null) await StopServerAsync(child);
            BenchSystem.TryDelete(dataDir);
        }
    }

    private static readonly string[] Kinds = ["echo", "get", "set"];

    private sealed record Row(double OpsPerSecond, double P50Us, double P99Us, long Ops);

    private static async Task<Row> MeasureAsync(CacheClient client, string kind, int w, byte[][] keys, byte[] value, TimeSpan settle, TimeSpan measure)
    {
        var phase = 0; // 0 settle, 1 measure, 2 stop
        var latencies = new List<long>[w];
        var loops = new Task[w];
        var empty = Array.Empty<byte[]>();
        for (var i = 0; i < w; i++)
        {
            var mine = latencies[i] = new List<long>(4096);
            var start = i * (keys.Length / Math.Max(1, w)) % keys.Length;
            loops[i] = Task.Run(async () =>
            {
                var k = start;
                while (Volatile.Read(ref phase) != 2)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    switch (kind)
                    {
                        case "echo":
                            await client.ExecuteAsync(empty);
                            break;
                        case "get":
                            if (await client.GetAsync(keys[k]) is null) throw new InvalidOperationException("GET miss");
                            break;
                        default:
                            await client.SetAsync(keys[k], value);
                            break;
                    }

                    if (Volatile.Read(ref phase) == 1) mine.Add(Stopwatch.GetTimestamp() - t0);
                    if (++k == keys.Length) k = 0;
                }
            });
        }

        await Task.Delay(settle);
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref phase, 1);
        await Task.Delay(measure);
        Volatile.Write(ref phase, 2);
        var elapsed = clock.Elapsed.TotalSeconds;
        await Task.WhenAll(loops);

        // Requests completed after phase 2 are not counted; those that started before phase 1 but completed in it are.
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        double Percentile(double p) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(p * all.Length))] * 1e6 / Stopwatch.Frequency;
        return new Row(all.Length / elapsed, Percentile(0.50), Percentile(0.99), all.Length);
    }

    private static string FindServer()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ActorCache.sln"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException("repository root not found; pass --server <path to ActorCache.Server>");
        var exe = OperatingSystem.IsWindows() ? "ActorCache.Server.exe" : "ActorCache.Server";
        var path = Path.Combine(dir.FullName, "src", "ActorCache.Server", "bin", "Release", "net10.0", exe);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} not found: build it first with `dotnet build src/ActorCache.Server -c Release`");
        }

        return path;
    }

    private static async Task<(Process Child, string Entry)> StartServerAsync(string server, string dataDir)
    {
        var start = new ProcessStartInfo
        {
            FileName = server,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--port", "0", "--data-dir", dataDir, "--set", "cache-flush-delay=1s" }) start.ArgumentList.Add(a);
        var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new StringBuilder();
        child.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.Trim().StartsWith(ListeningPrefix, StringComparison.Ordinal))
            {
                listening.TrySetResult(line.Trim()[ListeningPrefix.Length..].Trim());
            }
        };
        child.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (errors) errors.AppendLine(e.Data);
        };
        child.EnableRaisingEvents = true;
        child.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"server exited early ({child.ExitCode}):\n{errors}"));
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        try
        {
            return (child, await listening.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        catch
        {
            await StopServerAsync(child);
            throw;
        }
    }

    private static async Task StopServerAsync(Process child)
    {
        try
        {
            if (child.HasExited) return;
            if (OperatingSystem.IsWindows())
            {
                child.Kill(entireProcessTree: true);
            }
            else
            {
                // SIGTERM: the node runs CoordinatedShutdown (flush, store close).
                using var kill = Process.Start("kill", ["-TERM", child.Id.ToString(CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
            }

            try
            {
                await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
                Console.WriteLine($"server stopped (SIGTERM), exit code {child.ExitCode}");
            }
            catch (TimeoutException)
            {
                Console.WriteLine("server did not stop within 20 s of SIGTERM: killed");
                child.Kill(entireProcessTree: true);
            }
        }
        finally
        {
            child.Dispose();
        }
    }
}
