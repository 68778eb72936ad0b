using System.Diagnostics;

namespace ActorCache.Benchmarks.LargerThanMemory;

/// <summary>Totals of one phase against one target.</summary>
public sealed class PhaseTotals
{
    public LatencyHistogram Latency { get; } = new();

    public long Gets { get; set; }

    public long Hits { get; set; }

    public long Sets { get; set; }

    public long Errors { get; set; }

    public string? FirstError { get; set; }

    public double Seconds { get; set; }

    public bool TimedOut { get; set; }

    public long Ops => Gets + Sets;

    public void Add(PhaseTotals other)
    {
        Latency.Add(other.Latency);
        Gets += other.Gets;
        Hits += other.Hits;
        Sets += other.Sets;
        Errors += other.Errors;
        FirstError ??= other.FirstError;
    }
}

/// <summary>
/// N connections, each sending a batch of <c>depth</c> pipelined requests and reading their replies before the next
/// batch; a request's latency runs from its batch's send to its own reply.
/// </summary>
public static class LoadGenerator
{
    /// <summary>Writes keys 0..keys-1 once (connection c takes c, c + N, ...), bounded by <paramref name="limit"/>.</summary>
    public static Task<PhaseTotals> LoadAsync(int port, int keys, byte[][] value, int connections, int depth, TimeSpan limit) =>
        RunAsync(port, connections, depth, limit, value, (connection, _) =>
        {
            var next = connection;
            return (Random _, out bool isGet) =>
            {
                isGet = false;
                if (next >= keys) return -1;
                var key = next;
                next += connections;
                return key;
            };
        });

    /// <summary>A GET/SET mix over keys from <paramref name="chooser"/> for <paramref name="duration"/>.</summary>
    public static Task<PhaseTotals> MixAsync(int port, KeyChooser chooser, double getFraction, byte[][] value, int connections, int depth, TimeSpan duration) =>
        RunAsync(port, connections, depth, duration, value, (_, _) => (Random random, out bool isGet) =>
        {
            isGet = random.NextDouble() < getFraction;
            return chooser.Next(random);
        });

    private delegate int NextRequest(Random random, out bool isGet);

    private static async Task<PhaseTotals> RunAsync(int port, int connections, int depth, TimeSpan duration, byte[][] value, Func<int, Random, NextRequest> source)
    {
        using var stop = new CancellationTokenSource(duration);
        // Hard bound: a request stuck past the phase end plus 30 s is abandoned (the socket is torn down).
        using var abort = new CancellationTokenSource(duration + TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();
        var tasks = new Task<PhaseTotals>[connections];
        for (var c = 0; c < connections; c++)
        {
            var id = c;
            tasks[c] = Task.Run(() => ConnectionLoopAsync(port, depth, value, source(id, new Random(id)), new Random(id * 7919 + 17), stop.Token, abort.Token));
        }

        var total = new PhaseTotals();
        foreach (var t in tasks) total.Add(await t);
        total.Seconds = clock.Elapsed.TotalSeconds;
        total.TimedOut = stop.IsCancellationRequested;
        return total;
    }

    private static async Task<PhaseTotals> ConnectionLoopAsync(int port, int depth, byte[][] value, NextRequest next, Random random, CancellationToken stop, CancellationToken abort)
    {
        var totals = new PhaseTotals();
        var writer = new RequestWriter(value, depth);
        var kinds = new bool[depth];
        var toNanos = 1e9 / Stopwatch.Frequency;
        try
        {
            using var connection = await RespConnection.ConnectAsync(port, abort);
            while (!stop.IsCancellationRequested)
            {
                writer.Clear();
                var n = 0;
                for (; n < depth; n++)
                {
                    var key = next(random, out var isGet);
                    if (key < 0) break;
                    kinds[n] = isGet;
                    if (isGet) writer.Get(key);
                    else writer.Set(key);
                }

                if (n == 0) break;
                var sent = Stopwatch.GetTimestamp();
                await connection.SendAsync(writer.Written, abort);
                for (var i = 0; i < n; i++)
                {
                    var reply = await connection.ReadReplyAsync(false, abort);
                    totals.Latency.Record((long)((Stopwatch.GetTimestamp() - sent) * toNanos));
                    if (reply == ReplyKind.Error)
                    {
                        totals.Errors++;
                        totals.FirstError ??= connection.LastText;
                        continue;
                    }

                    if (kinds[i])
                    {
                        totals.Gets++;
                        if (reply == ReplyKind.Bulk) totals.Hits++;
                    }
                    else
                    {
                        totals.Sets++;
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or System.Net.Sockets.SocketException)
        {
            totals.Errors++;
            totals.FirstError ??= $"{e.GetType().Name}: {e.Message}";
        }

        return totals;
    }
}
