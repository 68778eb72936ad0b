using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using ActorCache.Benchmarks.Harness;
using ActorCache.Client;
using ActorCache.Protocol;
using Akka.Actor;
using Akka.Configuration;

namespace ActorCache.Benchmarks.Remote;

/// <summary>
/// "remote": a client process (this one), a server node (ActorCache.Server as a child process) and a bare echo
/// (this executable again, <see cref="RemoteEcho"/>) over Akka.Remote on 127.0.0.1. Per W (requests in flight) it
/// measures the bare echo (one actor to one actor, no client), an empty command through the client, GET hits and SETs,
/// for each remote settings profile (<see cref="RemoteProfiles"/>), in passes that rotate the profiles.
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

    private static readonly string[] Kinds = ["echo", "direct", "empty", "get", "set"];

    private sealed record Row(double OpsPerSecond, double P50Us, double P99Us, long Ops);

    public static async Task RunAsync(Options options)
    {
        var concurrency = options.Ints("concurrency", [1, 100, 1000]);
        var measure = options.Duration("measure", TimeSpan.FromSeconds(2));
        var settle = options.Duration("settle", TimeSpan.FromSeconds(0.5));
        var passes = options.Int("passes", 3);
        var keyCount = options.Int("keys", 10_000);
        var valueSize = options.Int("value-size", 100);
        var kinds = options.String("kinds", string.Join(',', Kinds)).Split(',', StringSplitOptions.RemoveEmptyEntries);
        foreach (var kind in kinds)
        {
            if (!Kinds.Contains(kind)) throw new ArgumentException($"unknown kind \"{kind}\"; known: {string.Join(", ", Kinds)}");
        }

        var profiles = options.String("profiles", "akka,shipped").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(RemoteProfiles.Find).ToArray();
        var server = options.StringOrNull("server") ?? FindServer();
        var serverConf = options.StringOrNull("server-conf") ?? Path.Combine(RepositoryRoot(), "src", "ActorCache.Server", "server.conf");

        Console.WriteLine($"""
            server: {server}
            echo:   this executable, "{RemoteEcho.Command}", akka settings of {serverConf} with the profile laid over them
            client: this process, CacheClientConfig.Remote() with the profile laid over it, Akka.Remote classic TCP on 127.0.0.1
              echo  = one actor keeps W CacheRequests (no arguments) in flight to a plain actor in the echo process that
                      answers each at once with a CacheReply (correlation ids, no Ask, no task per request; the
                      ActorCache wire format on both ends): the bare Akka.Remote round trip, the reference.
              direct= the same driver actor as echo, sending the same empty CacheRequests straight to the node's keyspace
                      actor of database 0, which answers "ERR empty command": the node's side without the client.
              empty = W async loops awaiting client.ExecuteAsync(no arguments) on the node: an empty command, answered at
                      once by the keyspace with "ERR empty command": the client's and the node's path without any data.
              get   = W async loops awaiting client.GetAsync on {keyCount:N0} preloaded keys (hits in memory).
              set   = W async loops awaiting client.SetAsync on the same keys, {valueSize}-byte values (write-behind, cache-flush-delay=1s).
            latency = per request, from the send (echo) or the call (the others) to the reply, in microseconds.
            {passes} passes; in each, every profile runs once on fresh processes (order rotating): warm-up, then per W every kind
            (order rotating by pass) settles {settle.TotalSeconds:0.#} s and is measured {measure.TotalSeconds:0.#} s; before each row the node
            flushes its dirty keys (FlushToDisk) and this process runs a full GC.
            profiles:
            """);
        foreach (var profile in profiles) Console.WriteLine($"  {profile.Name,-16} {profile.Description}");
        Console.WriteLine();

        var results = new Dictionary<(string Profile, string Kind, int W), List<Row>>();
        for (var pass = 0; pass < passes; pass++)
        {
            for (var j = 0; j < profiles.Length; j++)
            {
                var profile = profiles[(pass + j) % profiles.Length];
                Console.WriteLine($"pass {pass + 1}, profile {profile.Name} (load {LoadAverage()})");
                Console.WriteLine($"  {"kind",-5} {"W",5} {"ops/s",9} {"p50 us",9} {"p99 us",9} {"ops",9}");
                await RunSessionAsync(profile, server, serverConf, concurrency, kinds, pass, keyCount, valueSize, settle, measure, (kind, w, row) =>
                {
                    if (!results.TryGetValue((profile.Name, kind, w), out var rows)) results[(profile.Name, kind, w)] = rows = [];
                    rows.Add(row);
                    Console.WriteLine($"  {kind,-5} {w,5} {Stats.Rate(row.OpsPerSecond),9} {row.P50Us,9:F0} {row.P99Us,9:F0} {row.Ops,9}");
                });
            }
        }

        double Med(string profile, string kind, int w, Func<Row, double> f) =>
            results.TryGetValue((profile, kind, w), out var rows) ? Stats.Median(rows.Select(f).ToList()) : double.NaN;

        // Per-pass ratio of two cells (both measured in the same session), then the median over passes.
        double PassRatio(string profileA, string kindA, string profileB, string kindB, int w, Func<Row, double> f)
        {
            if (!results.TryGetValue((profileA, kindA, w), out var a) || !results.TryGetValue((profileB, kindB, w), out var b)) return double.NaN;
            return Stats.Median(a.Zip(b, (x, y) => f(x) / f(y)).ToList());
        }

        Console.WriteLine();
        Console.WriteLine($"summary (medians over {passes} passes)");
        Console.WriteLine($"{"profile",-16} {"kind",-5} {"W",5} {"ops/s",9} {"p50 us",9} {"p99 us",9}");
        foreach (var profile in profiles)
        {
            foreach (var w in concurrency)
            {
                foreach (var kind in kinds)
                {
                    Console.WriteLine($"{profile.Name,-16} {kind,-5} {w,5} {Stats.Rate(Med(profile.Name, kind, w, r => r.OpsPerSecond)),9} "
                                      + $"{Med(profile.Name, kind, w, r => r.P50Us),9:F0} {Med(profile.Name, kind, w, r => r.P99Us),9:F0}");
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("ratios to the bare echo of the same session (ops/s; median of the per-pass ratios)");
        Console.WriteLine($"{"profile",-16} {"W",5} {"GET/echo",9} {"SET/echo",9} {"empty/echo",10} {"GET/empty",9}");
        foreach (var profile in profiles)
        {
            foreach (var w in concurrency)
            {
                double Ops(Row r) => r.OpsPerSecond;
                Console.WriteLine($"{profile.Name,-16} {w,5} {Stats.Ratio(PassRatio(profile.Name, "get", profile.Name, "echo", w, Ops)),9} "
                                  + $"{Stats.Ratio(PassRatio(profile.Name, "set", profile.Name, "echo", w, Ops)),9} "
                                  + $"{Stats.Ratio(PassRatio(profile.Name, "empty", profile.Name, "echo", w, Ops)),10} "
                                  + $"{Stats.Ratio(PassRatio(profile.Name, "get", profile.Name, "empty", w, Ops)),9}");
            }
        }

        if (profiles.Length > 1)
        {
            var baseline = profiles[0].Name;
            Console.WriteLine();
            Console.WriteLine($"profiles against {baseline} (median of the per-pass ratios; p50 < 1 and ops/s > 1 are better)");
            Console.WriteLine($"{"profile",-16} {"kind",-5} {"W",5} {"ops/s",7} {"p50",7} {"p99",7}");
            foreach (var profile in profiles.Skip(1))
            {
                foreach (var w in concurrency)
                {
                    foreach (var kind in kinds)
                    {
                        Console.WriteLine($"{profile.Name,-16} {kind,-5} {w,5} {Stats.Ratio(PassRatio(profile.Name, kind, baseline, kind, w, r => r.OpsPerSecond)),7} "
                                          + $"{Stats.Ratio(PassRatio(profile.Name, kind, baseline, kind, w, r => r.P50Us)),7} "
                                          + $"{Stats.Ratio(PassRatio(profile.Name, kind, baseline, kind, w, r => r.P99Us)),7}");
                    }
                }
            }
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    /// <summary>One profile on fresh processes: the node, the echo process and the client's ActorSystem.</summary>
    private static async Task RunSessionAsync(RemoteProfile profile, string server, string serverConf, int[] concurrency, string[] kinds, int rotation,
        int keyCount, int valueSize, TimeSpan settle, TimeSpan measure, Action<string, int, Row> report)
    {
        var dataDir = BenchSystem.TempFolder("actor-cache-bench-remote-");
        var overlay = Path.Combine(dataDir, "..", Path.GetFileName(dataDir) + "-profile.conf");
        await File.WriteAllTextAsync(overlay, profile.Hocon);
        Process? node = null;
        Process? echoProcess = null;
        ActorSystem? system = null;
        try
        {
            string[] nodeArgs = ["--port", "0", "--data-dir", dataDir, "--set", "cache-flush-delay=1s", "--config", overlay];
            // Builds with a RESP listener would take port 6379 by default; the benchmark does not use it.
            if (await HasOptionAsync(server, "--resp-port")) nodeArgs = [.. nodeArgs, "--resp-port", "off"];
            (node, var entry) = await StartChildAsync(server, nodeArgs, ListeningPrefix);
            (echoProcess, var echoPath) = await StartChildAsync(SelfExecutable(out var selfArgs), [.. selfArgs, RemoteEcho.Command, serverConf, overlay], RemoteEcho.ListeningPrefix);
            var address = entry[..entry.IndexOf("/user/", StringComparison.Ordinal)];

            system = ActorSystem.Create("bench-client", ConfigurationFactory.ParseString(profile.Hocon)
                .WithFallback(ConfigurationFactory.ParseString(Quiet))
                .WithFallback(CacheClientConfig.Remote()));
            var client = await CacheClient.ConnectAsync(system, address, new CacheClientOptions { RequestTimeout = TimeSpan.FromSeconds(30) });
            var echo = await system.ActorSelection(echoPath).ResolveOne(TimeSpan.FromSeconds(10));
            var entryActor = await system.ActorSelection(entry).ResolveOne(TimeSpan.FromSeconds(10));
            var directory = await entryActor.Ask<KeyspaceDirectory>(GetKeyspaces.Instance, TimeSpan.FromSeconds(10));
            var keyspace = directory.Keyspaces[0];

            var probe = await client.ExecuteAsync(Array.Empty<byte[]>());
            if (probe is not ErrorReply { Message: var message } || !message.Contains("empty command", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"empty: expected ERR empty command, got {probe}");
            }

            var keys = Enumerable.Range(0, keyCount).Select(i => Encoding.UTF8.GetBytes($"bench:{i:D6}")).ToArray();
            var value = new byte[valueSize];
            Random.Shared.NextBytes(value);
            await Parallel.ForEachAsync(Enumerable.Range(0, keyCount), new ParallelOptions { MaxDegreeOfParallelism = 64 },
                async (i, _) => await client.SetAsync(keys[i], value));
            if (await client.GetAsync(keys[0]) is not { } got || got.Length != valueSize) throw new InvalidOperationException("preload failed");

            // Warm-up (JIT, tiering, connections): one short run of each kind.
            foreach (var kind in kinds) await MeasureAsync(system, echo, keyspace, client, kind, 64, keys, value, TimeSpan.FromSeconds(0.3), TimeSpan.FromSeconds(0.5));

            foreach (var w in concurrency)
            {
                foreach (var kind in kinds.Skip(rotation % kinds.Length).Concat(kinds.Take(rotation % kinds.Length)))
                {
                    // The node's write-behind saves of the SETs so far run now, not in the next row's window (which
                    // may be the echo's, in another process, but on the same cores).
                    await entryActor.Ask<FlushedToDisk>(FlushToDisk.Instance, TimeSpan.FromSeconds(60));
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    report(kind, w, await MeasureAsync(system, echo, keyspace, client, kind, w, keys, value, settle, measure));
                }
            }

            client.Dispose();
        }
        finally
        {
            if (system is not null) await system.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
            if (echoProcess is not null) await StopEchoAsync(echoProcess);
            if (node is not null) await StopServerAsync(node);
            BenchSystem.TryDelete(dataDir);
            try
            {
                File.Delete(overlay);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<Row> MeasureAsync(ActorSystem system, IActorRef echo, IActorRef keyspace, CacheClient client, string kind, int w, byte[][] keys, byte[] value,
        TimeSpan settle, TimeSpan measure)
    {
        if (kind == "echo") return await MeasureEchoAsync(system, echo, w, settle, measure);
        if (kind == "direct") return await MeasureEchoAsync(system, keyspace, w, settle, measure);
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
                        case "empty":
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
        return Summarize(latencies.SelectMany(l => l).ToArray(), elapsed);
    }

    private static async Task<Row> MeasureEchoAsync(ActorSystem system, IActorRef echo, int w, TimeSpan settle, TimeSpan measure)
    {
        var run = new EchoRun(w);
        system.ActorOf(EchoDriver.Props(echo, run));
        await Task.Delay(settle);
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref run.Phase, 1);
        await Task.Delay(measure);
        Volatile.Write(ref run.Phase, 2);
        var elapsed = clock.Elapsed.TotalSeconds;
        await run.Drained.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return Summarize(run.Latencies.ToArray(), elapsed);
    }

    private static Row Summarize(long[] all, double elapsed)
    {
        Array.Sort(all);
        double Percentile(double p) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(p * all.Length))] * 1e6 / Stopwatch.Frequency;
        return new Row(all.Length / elapsed, Percentile(0.50), Percentile(0.99), all.Length);
    }

    private static async Task<bool> HasOptionAsync(string executable, string option)
    {
        var start = new ProcessStartInfo(executable, "--help") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (await output).Contains(option, StringComparison.Ordinal);
    }

    private static string SelfExecutable(out string[] leadingArgs)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("unknown process path");
        // Started as "dotnet ActorCache.Benchmarks.dll": the child needs the assembly too.
        leadingArgs = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [Assembly.GetExecutingAssembly().Location] : [];
        return self;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ActorCache.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found; pass --server and --server-conf");
    }

    private static string FindServer()
    {
        var exe = OperatingSystem.IsWindows() ? "ActorCache.Server.exe" : "ActorCache.Server";
        var path = Path.Combine(RepositoryRoot(), "src", "ActorCache.Server", "bin", "Release", "net10.0", exe);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} not found: build it first with `dotnet build src/ActorCache.Server -c Release`");
        }

        return path;
    }

    /// <summary>Starts a child process and waits for its "listening at" line; returns the path that follows it.</summary>
    private static async Task<(Process Child, string Entry)> StartChildAsync(string executable, string[] arguments, string listeningPrefix)
    {
        var start = new ProcessStartInfo
        {
            FileName = executable,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new StringBuilder();
        child.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.Trim().StartsWith(listeningPrefix, StringComparison.Ordinal))
            {
                listening.TrySetResult(line.Trim()[listeningPrefix.Length..].Trim());
            }
        };
        child.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (errors) errors.AppendLine(e.Data);
        };
        child.EnableRaisingEvents = true;
        child.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"{executable} exited early ({child.ExitCode}):\n{errors}"));
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

    /// <summary>The echo process stops when its stdin closes.</summary>
    private static async Task StopEchoAsync(Process child)
    {
        try
        {
            child.StandardInput.Close();
            try
            {
                await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            }
            catch (TimeoutException)
            {
                Console.WriteLine("echo process did not stop within 15 s: killed");
                child.Kill(entireProcessTree: true);
            }
        }
        finally
        {
            child.Dispose();
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
                if (child.ExitCode != 0) Console.WriteLine($"server stopped (SIGTERM), exit code {child.ExitCode}");
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
