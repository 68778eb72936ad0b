using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorCache.Benchmarks.Harness;

namespace ActorCache.Benchmarks.LargerThanMemory;

/// <summary>
/// "memory": a larger-than-memory load (keys × value size well above the memory limit) against an ActorCache node
/// and Garnet with its storage tier, through RESP over raw pipelined sockets on 127.0.0.1.
/// </summary>
public static class MemoryBenchmark
{
    private sealed record Result(string Target, string Phase, PhaseTotals Totals, long PeakUsed, long PeakRss, double InfoHitRatio, IReadOnlyList<(double Seconds, long Rss)> RssTimeline);

    public static async Task RunAsync(Options options)
    {
        var keys = options.Int("keys", 2_000_000);
        var valueSize = options.Int("value-size", 100);
        var connections = options.Int("connections", 32);
        var depth = options.Int("depth", 4);
        var loadDepth = options.Int("load-depth", 16);
        var duration = options.Duration("duration", TimeSpan.FromSeconds(20));
        var writeHeavyDuration = options.Duration("write-heavy-duration", duration);
        var loadLimit = options.Duration("load-limit", TimeSpan.FromSeconds(600));
        var maxMemory = options.String("max-memory", "64MiB");
        var targets = options.String("targets", "actorcache,garnet").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var root = RepositoryRoot();
        var server = options.StringOrNull("server") ?? Path.Combine(root, "src", "ActorCache.Server", "bin", "Release", "net10.0", "ActorCache.Server.dll");
        var garnet = options.StringOrNull("garnet") ?? Path.Combine(root, "tests", "ActorCache.Benchmarks", "bin", "resp-benchmark-tools", "garnet-server");
        var skew = options.Double("zipf", 0.99);

        // 1,024 distinct random values (all the same size): a compressing store cannot fold them to nothing.
        var fill = new Random(1);
        var value = new byte[1024][];
        for (var i = 0; i < value.Length; i++)
        {
            value[i] = new byte[valueSize];
            fill.NextBytes(value[i]);
        }

        Console.WriteLine($"memory: {keys:N0} keys × {valueSize} B = {(long)keys * valueSize / (1 << 20):N0} MiB of values, max memory {maxMemory}, " +
                          $"{connections} connections × {depth} in flight (load: {loadDepth}), {duration.TotalSeconds:0.#} s per phase, zipf s = {skew}; " +
                          $"nproc = {Environment.ProcessorCount}, load generator in this process");
        var uniform = KeyChooser.Uniform(keys);
        var zipf = KeyChooser.Zipfian(keys, skew);
        var results = new List<Result>();
        var notes = new List<string>();

        foreach (var target in targets)
        {
            var work = Directory.CreateTempSubdirectory("memory-bench-");
            var port = FreePort();
            Process? child = null;
            var log = new StringBuilder();
            try
            {
                var memBytes = ParseSize(maxMemory);
                (string exe, string[] args) = target switch
                {
                    "actorcache" => ("dotnet", new[] { server, "--data-dir", work.FullName, "--port", "0", "--resp-port", port.ToString(CultureInfo.InvariantCulture), "--set", $"cache-max-memory={maxMemory}" }),
                    "garnet" => (garnet, new[]
                    {
                        "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                        "--memory", $"{memBytes / (1 << 20)}m", "--storage-tier", "--device-type", "RandomAccess", "--logdir", work.FullName,
                    }),
                    _ => throw new ArgumentException($"unknown target \"{target}\" (actorcache, garnet)"),
                };
                Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {target}: {exe} {string.Join(' ', args)}");
                child = Start(exe, args, work.FullName, log);
                await WaitPingAsync(child, port, log, TimeSpan.FromSeconds(60));

                async Task Phase(string name, Func<Task<PhaseTotals>> run)
                {
                    var before = await InfoAsync(port, "stats");
                    using var sampler = new Sampler(port, child.Id, target == "garnet" ? "total_main_store_size" : "used_memory");
                    var totals = await run();
                    var (used, rss, timeline) = await sampler.StopAsync();
                    var after = await InfoAsync(port, "stats");
                    // Served from memory: ActorCache counts keys found in memory as keyspace_hits; Garnet counts
                    // operations that had to go to storage as total_pending, out of total_found + total_notfound.
                    double infoRatio;
                    if (target == "garnet")
                    {
                        var lookups = Delta(before, after, "total_found") + Delta(before, after, "total_notfound");
                        infoRatio = lookups > 0 ? 1 - (double)Delta(before, after, "total_pending") / lookups : double.NaN;
                    }
                    else
                    {
                        var hits = Delta(before, after, "keyspace_hits");
                        var misses = Delta(before, after, "keyspace_misses");
                        infoRatio = hits + misses > 0 ? (double)hits / (hits + misses) : double.NaN;
                    }
                    results.Add(new Result(target, name, totals, used, rss, infoRatio, timeline));
                    Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {target} {name}: {totals.Ops:N0} ops in {totals.Seconds:F1} s, " +
                                      $"{Stats.Rate(totals.Ops / totals.Seconds)}/s, errors {totals.Errors}{(totals.FirstError is null ? "" : $" (first: {totals.FirstError})")}, " +
                                      $"peak used_memory {Mib(used)}, peak RSS {Mib(rss)}");
                    if (child.HasExited) throw new InvalidOperationException($"{target} exited during {name} ({child.ExitCode})");
                }

                await Phase("load", () => LoadGenerator.LoadAsync(port, keys, value, connections, loadDepth, loadLimit));
                var loaded = results[^1].Totals;
                if (loaded.Sets < keys) notes.Add($"{target}: load wrote {loaded.Sets:N0} of {keys:N0} keys (limit {loadLimit.TotalSeconds:0} s or errors)");
                await Phase("uniform 90/10", () => LoadGenerator.MixAsync(port, uniform, 0.9, value, connections, depth, duration));
                await Phase("zipfian 90/10", () => LoadGenerator.MixAsync(port, zipf, 0.9, value, connections, depth, duration));
                await Phase("write-heavy", () => LoadGenerator.MixAsync(port, uniform, 0.0, value, connections, loadDepth, writeHeavyDuration));
                if (target == "actorcache") notes.Add(await EvictMostAsync(port, memBytes / 4));
                var status = ProcStatus(child.Id);
                notes.Add($"{target}: VmHWM (lifetime peak RSS) {Mib(status.GetValueOrDefault("VmHWM"))}, data folder {Mib(FolderSize(work))} on disk at the end");
            }
            catch (Exception e)
            {
                var tail = string.Join('\n', log.ToString().Split('\n').TakeLast(15));
                Console.WriteLine($"{target} FAILED: {e.Message}\n{tail}");
                notes.Add($"{target}: failed ({e.Message.Split('\n')[0]}); see its log above");
            }
            finally
            {
                if (child is not null)
                {
                    try
                    {
                        if (!child.HasExited) child.Kill(entireProcessTree: true);
                        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
                    }
                    catch (Exception e)
                    {
                        Console.WriteLine($"{target}: stopping failed: {e.Message}");
                    }

                    child.Dispose();
                }

                try
                {
                    work.Delete(recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }

        Print(results, notes);
    }

    private static void Print(List<Result> results, List<string> notes)
    {
        Console.WriteLine();
        Console.WriteLine($"{"phase",-15} {"target",-11} {"ops/s",9} {"hit%",6} {"mem hit%",9} {"p50 µs",9} {"p99 µs",9} {"p99.9 µs",9} {"max µs",9} {"errors",7} {"peak used",10} {"peak RSS",10}");
        foreach (var r in results.OrderBy(r => PhaseOrder(r.Phase)).ThenBy(r => r.Target))
        {
            var t = r.Totals;
            var hit = t.Gets > 0 ? $"{100.0 * t.Hits / t.Gets:F1}" : "-";
            var infoHit = double.IsNaN(r.InfoHitRatio) ? "n/a" : $"{100 * r.InfoHitRatio:F1}";
            Console.WriteLine($"{r.Phase,-15} {r.Target,-11} {Stats.Rate(t.Ops / t.Seconds),9} {hit,6} {infoHit,9} {t.Latency.PercentileMicros(0.50),9:F0} " +
                              $"{t.Latency.PercentileMicros(0.99),9:F0} {t.Latency.PercentileMicros(0.999),9:F0} {t.Latency.Max / 1000.0,9:F0} {t.Errors,7} {Mib(r.PeakUsed),10} {Mib(r.PeakRss),10}");
        }

        var phases = results.Select(r => r.Phase).Distinct().ToList();
        var any = false;
        foreach (var phase in phases)
        {
            var a = results.FirstOrDefault(r => r.Phase == phase && r.Target == "actorcache");
            var g = results.FirstOrDefault(r => r.Phase == phase && r.Target == "garnet");
            if (a is null || g is null) continue;
            if (!any)
            {
                Console.WriteLine();
                Console.WriteLine($"ActorCache/Garnet  {"ops/s",7} {"p50",7} {"p99",7} {"p99.9",7} {"used",7} {"RSS",7}");
                any = true;
            }

            double R(Func<Result, double> f) => f(g) == 0 ? double.NaN : f(a) / f(g);
            Console.WriteLine($"{phase,-18} {Stats.Ratio(R(r => r.Totals.Ops / r.Totals.Seconds)),7} {Stats.Ratio(R(r => r.Totals.Latency.PercentileMicros(0.5))),7} " +
                              $"{Stats.Ratio(R(r => r.Totals.Latency.PercentileMicros(0.99))),7} {Stats.Ratio(R(r => r.Totals.Latency.PercentileMicros(0.999))),7} " +
                              $"{Stats.Ratio(R(r => r.PeakUsed)),7} {Stats.Ratio(R(r => r.PeakRss)),7}");
        }

        // Whether RSS levels off under sustained writes: the highest RSS in each tenth of the write-heavy phase.
        foreach (var r in results.Where(r => r.Phase == "write-heavy" && r.RssTimeline.Count >= 10))
        {
            var tenths = r.RssTimeline.GroupBy(p => Math.Min(9, (int)(10 * p.Seconds / r.Totals.Seconds))).OrderBy(g => g.Key).Select(g => Mib(g.Max(p => p.Rss)));
            Console.WriteLine($"{r.Target} write-heavy peak RSS per tenth of the phase: {string.Join(", ", tenths)}");
        }

        Console.WriteLine();
        Console.WriteLine("hit% = GETs answered with a value, counted by the client; it should equal the share of keys the load phase wrote.");
        Console.WriteLine("mem hit% = served from memory, from INFO stats deltas: ActorCache keyspace_hits/(hits+misses) (per key, GET and SET);");
        Console.WriteLine("  Garnet 1 - total_pending/(total_found+total_notfound) (pending = went to the storage tier).");
        Console.WriteLine("peak used = highest in-memory size from INFO memory, sampled every 500 ms in the phase: ActorCache used_memory (its");
        Console.WriteLine("  estimate, the figure cache-max-memory bounds); Garnet total_main_store_size (hash index + main-log memory).");
        Console.WriteLine("peak RSS = highest VmRSS of /proc/PID/status sampled likewise.");
        Console.WriteLine("write-heavy: 100 % SET, uniform keys; its p99/p99.9/max are how long writers waited.");
        foreach (var n in notes) Console.WriteLine(n);
    }

    private static int PhaseOrder(string phase) => phase switch { "load" => 0, "uniform 90/10" => 1, "zipfian 90/10" => 2, _ => 3 };

    /// <summary>Polls INFO memory and /proc/PID/status every 500 ms and keeps the highest used_memory and VmRSS.</summary>
    private sealed class Sampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private readonly List<(double Seconds, long Rss)> _timeline = [];
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _used;
        private long _rss;

        public Sampler(int port, int pid, string usedField) => _loop = Task.Run(() => LoopAsync(port, pid, usedField));

        public async Task<(long Used, long Rss, IReadOnlyList<(double Seconds, long Rss)> Timeline)> StopAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }

            return (_used, _rss, _timeline);
        }

        public void Dispose() => _stop.Dispose();

        private async Task LoopAsync(int port, int pid, string usedField)
        {
            while (!_stop.IsCancellationRequested)
            {
                var rss = ProcStatus(pid).GetValueOrDefault("VmRSS");
                _rss = Math.Max(_rss, rss);
                _timeline.Add((_clock.Elapsed.TotalSeconds, rss));
                try
                {
                    var info = await InfoAsync(port, "memory", _stop.Token);
                    if (info.TryGetValue(usedField, out var s) && long.TryParse(s, out var used)) _used = Math.Max(_used, used);
                }
                catch (Exception e) when (e is IOException or SocketException or TimeoutException)
                {
                }

                await Task.Delay(500, _stop.Token);
            }
        }
    }

    /// <summary>
    /// Lowers cache-max-memory at run time, so the node evicts most of memory at once, and reports how long that took
    /// and the longest slice of eviction work any keyspace did (INFO's eviction_longest_slice_us, over the whole run):
    /// the longest a keyspace stopped serving for eviction.
    /// </summary>
    private static async Task<string> EvictMostAsync(int port, long limit)
    {
        var before = long.Parse((await InfoAsync(port, "memory")).GetValueOrDefault("used_memory", "0"), CultureInfo.InvariantCulture);
        using (var connection = await RespConnection.ConnectAsync(port, CancellationToken.None))
        {
            var value = limit.ToString(CultureInfo.InvariantCulture);
            await connection.SendAsync(Encoding.ASCII.GetBytes($"*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$16\r\ncache-max-memory\r\n${value.Length}\r\n{value}\r\n"), CancellationToken.None);
            if (await connection.ReadReplyAsync(true, CancellationToken.None) != ReplyKind.Simple) return $"actorcache: CONFIG SET cache-max-memory failed: {connection.LastText}";
        }

        var clock = Stopwatch.StartNew();
        long used;
        do
        {
            await Task.Delay(50);
            used = long.Parse((await InfoAsync(port, "memory")).GetValueOrDefault("used_memory", "0"), CultureInfo.InvariantCulture);
        }
        while (used > limit && clock.Elapsed < TimeSpan.FromSeconds(60));

        var diskstore = await InfoAsync(port, "diskstore");
        var slice = diskstore.GetValueOrDefault("eviction_longest_slice_us", "n/a");
        var sliceWithoutGc = diskstore.GetValueOrDefault("eviction_longest_slice_without_gc_us", "n/a");
        return $"actorcache: CONFIG SET cache-max-memory {Mib(limit)} took used_memory from {Mib(before)} to {Mib(used)} in {clock.Elapsed.TotalSeconds:F2} s; " +
               $"longest eviction slice of any keyspace over the whole run {slice} µs, {sliceWithoutGc} µs among slices no GC ran in";
    }

    private static async Task<Dictionary<string, string>> InfoAsync(int port, string section, CancellationToken ct = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        using var connection = await RespConnection.ConnectAsync(port, timeout.Token);
        await connection.SendAsync(Encoding.ASCII.GetBytes($"*2\r\n$4\r\nINFO\r\n${section.Length}\r\n{section}\r\n"), timeout.Token);
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (await connection.ReadReplyAsync(true, timeout.Token) != ReplyKind.Bulk) return result;
        foreach (var line in connection.LastText!.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon > 0) result[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        return result;
    }

    private static long Delta(Dictionary<string, string> before, Dictionary<string, string> after, string name) =>
        before.TryGetValue(name, out var b) && after.TryGetValue(name, out var a) && long.TryParse(b, out var x) && long.TryParse(a, out var y) ? y - x : 0;

    /// <summary>The kB fields of /proc/PID/status, in bytes.</summary>
    private static Dictionary<string, long> ProcStatus(int pid)
    {
        var result = new Dictionary<string, long>();
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                var parts = line.Split(':', 2);
                if (parts.Length == 2 && parts[1].Trim().EndsWith(" kB", StringComparison.Ordinal) && long.TryParse(parts[1].Trim()[..^3], out var kb))
                {
                    result[parts[0]] = kb * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return result;
    }

    private static Process Start(string exe, string[] args, string workDir, StringBuilder log)
    {
        var start = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workDir };
        foreach (var a in args) start.ArgumentList.Add(a);
        var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {exe}");
        void Append(object _, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (log)
            {
                if (log.Length > 200_000) log.Remove(0, 100_000);
                log.AppendLine(e.Data);
            }
        }

        child.OutputDataReceived += Append;
        child.ErrorDataReceived += Append;
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        return child;
    }

    private static async Task WaitPingAsync(Process child, int port, StringBuilder log, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (child.HasExited) throw new InvalidOperationException($"exited during startup ({child.ExitCode})");
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                using var connection = await RespConnection.ConnectAsync(port, timeout.Token);
                await connection.SendAsync("*1\r\n$4\r\nPING\r\n"u8.ToArray(), timeout.Token);
                if (await connection.ReadReplyAsync(false, timeout.Token) == ReplyKind.Simple) return;
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"no PONG within {limit.TotalSeconds:0} s");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static long ParseSize(string text)
    {
        var t = text.Trim().ToUpperInvariant();
        long unit = 1;
        foreach (var (suffix, u) in new[] { ("GIB", 1L << 30), ("MIB", 1L << 20), ("KIB", 1L << 10), ("GB", 1L << 30), ("MB", 1L << 20), ("KB", 1L << 10), ("G", 1L << 30), ("M", 1L << 20), ("K", 1L << 10) })
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal))
            {
                unit = u;
                t = t[..^suffix.Length];
                break;
            }
        }

        return (long)(double.Parse(t, CultureInfo.InvariantCulture) * unit);
    }

    private static string Mib(long bytes) => bytes <= 0 ? "-" : $"{bytes / 1048576.0:F0} MiB";

    private static long FolderSize(DirectoryInfo dir) => dir.EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ActorCache.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found; pass --server and --garnet");
    }
}
