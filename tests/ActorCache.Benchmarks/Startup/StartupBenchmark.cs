using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using ActorCache.Benchmarks.Harness;

namespace ActorCache.Benchmarks.Startup;

/// <summary>
/// Time from process start to the first answered GET of a key that is only on disk, measured in child processes
/// (this executable's hidden <c>startup-probe</c>), on a large data folder and, as the reference, an empty one.
/// Nothing is loaded up front, so the two should be about equal.
/// </summary>
public static class StartupBenchmark
{
    public static async Task RunAsync(Options options)
    {
        var count = options.Int("keys", 1_000_000);
        var valueSize = options.Int("value-size", 100);
        var runs = options.Int("runs", 5);
        var dataDirectory = options.String("dir", Path.Combine(Path.GetTempPath(), $"actor-cache-bench-startup-{count}x{valueSize}"));

        DataSet.Prepare(dataDirectory, count, valueSize);
        var emptyDirectory = BenchSystem.TempFolder("actor-cache-bench-startup-empty-");
        try
        {
            Console.WriteLine($"startup: {runs} runs per folder after one discarded first run; times in ms since process start "
                              + $"(Process.StartTime, 10 ms resolution on Linux);"
                              + " store open = when the node's OpenStore ran; disk read = the first multi-get (DiskIoActor's thread); exit = until the child exited (parent's clock);"
                              + " pool = thread-pool threads at the end (many more than the cores means the pool was starved)");
            Console.WriteLine($"{"folder",-8}{"run",6}{"main",8}{"system",8}{"node",8}{"connect",9}{"store open",12}{"disk read",11}{"GET",8}{"exit",8}{"pool",6}");
            var folders = new[] { (Name: "full", Dir: dataDirectory, Expect: valueSize), (Name: "empty", Dir: emptyDirectory, Expect: -1) };
            var totals = folders.ToDictionary(f => f.Name, _ => new List<double>());
            var random = new Random();
            // Interleaved, so both folders see the same machine state.
            for (var run = 0; run <= runs; run++)
            {
                foreach (var folder in folders)
                {
                    var key = DataSet.KeyOf(random.Next(count));
                    var (probe, exitMs) = await RunProbeAsync(folder.Dir, key);
                    if ((int)probe["value-bytes"] != folder.Expect)
                    {
                        throw new InvalidOperationException($"GET {key} in the {folder.Name} folder returned {probe["value-bytes"]} bytes, expected {folder.Expect}");
                    }

                    if (run > 0) totals[folder.Name].Add(probe["total-ms"]);
                    Console.WriteLine($"{folder.Name,-8}{(run == 0 ? "first" : run.ToString(CultureInfo.InvariantCulture)),6}{probe["main-ms"],8:F0}{probe["system-ms"],8:F0}"
                                      + $"{probe["node-ms"],8:F0}{probe["connect-ms"],9:F0}{$"{probe["open-start-ms"]:F0}-{probe["open-end-ms"]:F0}",12}"
                                      + $"{$"{probe["read-start-ms"]:F0}-{probe["read-end-ms"]:F0}",11}{probe["total-ms"],8:F0}{exitMs,8:F0}{probe["pool-threads"],6}");
                }
            }

            Console.WriteLine();
            foreach (var folder in folders)
            {
                var t = totals[folder.Name];
                Console.WriteLine($"{folder.Name,-6} median {Stats.Median(t):F0} ms, min {t.Min():F0}, max {t.Max():F0}, over 1 s in {t.Count(x => x >= 1000)} of {t.Count} runs");
            }

            var full = Stats.Median(totals["full"]);
            var empty = Stats.Median(totals["empty"]);
            Console.WriteLine($"median time to first GET: {count:N0} keys ({DataSet.FolderBytes(dataDirectory) / (1024.0 * 1024):F0} MiB) {full:F0} ms, "
                              + $"empty folder {empty:F0} ms, ratio {full / empty:F2}; goal < 1000 ms: {(full < 1000 ? "met" : "NOT met")} by the median");
        }
        finally
        {
            BenchSystem.TryDelete(emptyDirectory);
        }
    }

    /// <summary>Runs the probe; returns its figures and the wall time until the child exited (shutdown included).</summary>
    private static async Task<(Dictionary<string, double> Figures, double ExitMs)> RunProbeAsync(string dataDirectory, string key)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("unknown process path");
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            // Started as "dotnet ActorCache.Benchmarks.dll": the child needs the assembly too.
            start.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        }

        start.ArgumentList.Add(StartupProbe.Command);
        start.ArgumentList.Add(dataDirectory);
        start.ArgumentList.Add(key);

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the probe");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var exitMs = clock.Elapsed.TotalMilliseconds;
        var line = (await output).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(StartupProbe.LinePrefix, StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"probe failed (exit {process.ExitCode}):\n{await output}\n{await errors}");
        }

        var figures = line[StartupProbe.LinePrefix.Length..]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
        return (figures, exitMs);
    }
}
