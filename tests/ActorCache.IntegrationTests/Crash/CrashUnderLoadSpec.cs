using System.Diagnostics;
using System.Globalization;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.IntegrationTests.Crash;

/// <summary>
/// The real server killed with SIGKILL while RESP clients write to it, several times on one data folder, each store.
/// Five connections pipeline SETs of self-checking values, DELs and MULTI/INCR a/INCR b/EXEC transactions; raw sockets
/// give exact knowledge of which replies arrived before the kill. After every kill the node must start again on the
/// same folder without repair, and every value must be whole, every pair of counters equal, and everything the node
/// promised must be there: under write-through every acknowledged write, under write-behind every write acknowledged
/// before a WAITDISK's +OK (a WAITDISK is answered in every cycle, and the writers go on after it until the kill). The
/// load's length is random (the seed is printed); the kills land while writes are in flight.
/// </summary>
public sealed class CrashUnderLoadSpec(ITestOutputHelper output) : IDisposable
{
    // CRASH_SPEC_CYCLES runs more kill cycles (a soak); the default keeps the spec well under a minute.
    private static readonly int Cycles = Environment.GetEnvironmentVariable("CRASH_SPEC_CYCLES") is { } cycles ? int.Parse(cycles, CultureInfo.InvariantCulture) : 4;
    private const int Writers = 5;

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("actor-cache-crash-").FullName;

    [Theory]
    [InlineData("rocksdb")]
    [InlineData("file")]
    public Task Under_write_through_every_acknowledged_write_and_transaction_survives_sigkill_under_load(string backend) =>
        RunAsync(backend, writeThrough: true, $"--backend {backend} --set durability=write-through");

    [Theory]
    [InlineData("rocksdb")]
    [InlineData("file")]
    public Task Under_write_behind_everything_acknowledged_before_a_waitdisk_survives_sigkill_under_load(string backend) =>
        RunAsync(backend, writeThrough: false, $"--backend {backend} --set durability=write-behind --set cache-flush-delay=200ms");

    private async Task RunAsync(string backend, bool writeThrough, string arguments)
    {
        // CRASH_SPEC_SERVER_ARGS adds server options to try other settings under the same checks (e.g. --set save-batch-size=1).
        arguments += " " + Environment.GetEnvironmentVariable("CRASH_SPEC_SERVER_ARGS");
        var seed = Environment.GetEnvironmentVariable("CRASH_SPEC_SEED") is { } fixedSeed ? int.Parse(fixedSeed, CultureInfo.InvariantCulture) : Random.Shared.Next();
        output.WriteLine($"{backend}, {(writeThrough ? "write-through" : "write-behind + WAITDISK")}, seed {seed} (CRASH_SPEC_SEED to repeat the load's shape), server options: {arguments.Trim()}");
        var random = new Random(seed);
        // The file store fsyncs every key it saves (about 20 ms each on the development machine), so a WAITDISK over
        // every dirty key takes seconds with many keys: fewer keys keep its cycles as short as RocksDB's.
        var (keys, pairs) = backend == "file" ? (12, 4) : (32, 6);
        var writers = Enumerable.Range(0, Writers).Select(id => new CrashWriter(id, id % 2, keys, pairs)).ToArray();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60 + 20 * Cycles));
        var clock = Stopwatch.StartNew();
        long unansweredAtKills = 0, ackedButLost = 0, unacknowledgedLanded = 0;

        for (var cycle = 0; cycle <= Cycles; cycle++)
        {
            using var node = await CrashNode.StartAsync(_dataDirectory, arguments);
            var check = await CrashVerifier.CheckAsync(node.RespPort, writers, timeout.Token);
            output.WriteLine($"[{clock.Elapsed.TotalSeconds:F1}s] start {cycle}: {check.KeysPresent} keys and {check.PairsPresent} pairs on disk, "
                + $"{check.AckedButLost} acknowledged writes not there (allowed unless they had to survive), {check.UnacknowledgedLanded} unacknowledged writes landed");
            Assert.True(check.Problems.Count == 0, $"after kill {cycle} ({backend}, seed {seed}): {check.Problems.Count} problems:{Environment.NewLine}"
                + string.Join(Environment.NewLine, check.Problems.Take(20)) + $"{Environment.NewLine}node log:{Environment.NewLine}{node.StandardError}");
            ackedButLost += check.AckedButLost;
            unacknowledgedLanded += check.UnacknowledgedLanded;

            if (cycle == Cycles)
            {
                // The last start only checks; a graceful stop must still exit cleanly after all the kills.
                Assert.Equal(0, await node.TerminateAsync());
                break;
            }

            var killed = false;
            Func<bool> isKilled = () => Volatile.Read(ref killed);
            foreach (var writer in writers) writer.BeginCycle();
            var load = writers.Select(w => Task.Run(() => w.RunAsync(node.RespPort, new Random(random.Next()), writeThrough, waitDiskInPipeline: !writeThrough, isKilled, timeout.Token))).ToList();
            var firstBarrier = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var barriers = writeThrough ? null : Task.Run(() => BarriersAsync(node.RespPort, writers, new Random(random.Next()), firstBarrier, isKilled, timeout.Token));

            // Load timing only (no correctness depends on the sleeps): let the writers run, then kill the node under them.
            // The kill waits for a first reply, though: a write-through reply on the file store waits for one fsync per
            // key saved before it (about 20 ms each here), so the first ones can take a second on a fresh or busy disk.
            var loadStart = Stopwatch.StartNew();
            var loadTime = TimeSpan.FromMilliseconds(random.Next(300, 1000));
            while (writers.Sum(w => w.Answered) == 0 && loadStart.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(5);
            var firstReply = loadStart.ElapsedMilliseconds;
            if (loadTime > loadStart.Elapsed) await Task.Delay(loadTime - loadStart.Elapsed);
            if (barriers is not null)
            {
                // Write-behind promises only what a WAITDISK covered: the kill comes after one has answered, while the
                // writers go on. A WAITDISK that does not answer under load is a failure of its own.
                var waited = await Task.WhenAny(firstBarrier.Task, barriers, Task.Delay(TimeSpan.FromSeconds(20)));
                if (waited == barriers) await barriers;
                Assert.True(firstBarrier.Task.IsCompleted, $"cycle {cycle}: no WAITDISK answered within 20 s under load{Environment.NewLine}{node.StandardError}");
                await Task.Delay(random.Next(100, 500));
            }

            Volatile.Write(ref killed, true);
            await node.KillAsync();
            await Task.WhenAll(barriers is null ? load : load.Append(barriers)).WaitAsync(TimeSpan.FromSeconds(30));

            var answered = writers.Sum(w => w.Answered);
            var unanswered = writers.Sum(w => w.Sent - w.Answered);
            unansweredAtKills += unanswered;
            var (barriersAnswered, longestBarrier) = barriers is null ? (0, TimeSpan.Zero) : await barriers;
            output.WriteLine($"[{clock.Elapsed.TotalSeconds:F1}s] kill {cycle} after {loadStart.ElapsedMilliseconds} ms of load (first reply after {firstReply} ms): {answered} commands answered, "
                + $"{unanswered} sent and unanswered at the kill, {writers.Sum(w => w.Barriers)} WAITDISKs answered in the writers' pipelines, "
                + $"{barriersAnswered} on the barrier connection (longest {longestBarrier.TotalMilliseconds:F0} ms)");
            Assert.True(answered > 0, $"cycle {cycle}: no command was answered within {firstReply} ms{Environment.NewLine}{node.StandardError}");
        }

        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s; {unansweredAtKills} commands in flight at the kills, {ackedButLost} acknowledged writes lost, "
            + $"{unacknowledgedLanded} unacknowledged writes landed");
        // The kills must have hit the node with writes in flight, or the scenario was not the one it claims to be.
        Assert.True(unansweredAtKills > 0, "no command was in flight at any kill");
    }

    /// <summary>
    /// A connection of its own sending WAITDISK every few tens of milliseconds: what every writer had acknowledged
    /// before it was sent must be on disk once it answers +OK. Returns the barriers answered and the longest wait.
    /// </summary>
    private static async Task<(long Answered, TimeSpan Longest)> BarriersAsync(
        int port, CrashWriter[] writers, Random random, TaskCompletionSource firstBarrier, Func<bool> killed, CancellationToken cancellation)
    {
        long answered = 0;
        var longest = TimeSpan.Zero;
        try
        {
            using var client = await RawRespClient.ConnectAsync(port, cancellation);
            while (true)
            {
                await Task.Delay(random.Next(20, 120), cancellation);
                // Acknowledged before WAITDISK is sent, so each of these writes reached its keyspace before the barrier.
                var before = writers.Select(w => w.SnapshotAcked()).ToArray();
                var sent = Stopwatch.GetTimestamp();
                var reply = await client.CallAsync(cancellation, "WAITDISK");
                if (reply is not RespSimple { Text: "OK" }) throw new CrashSpecException($"WAITDISK answered {reply}");
                var waited = Stopwatch.GetElapsedTime(sent);
                if (waited > longest) longest = waited;
                for (var w = 0; w < writers.Length; w++) writers[w].RaiseFloors(before[w].Keys, before[w].Pairs);
                answered++;
                firstBarrier.TrySetResult();
            }
        }
        catch (Exception ex) when (killed() && ex is IOException or System.Net.Sockets.SocketException or EndOfStreamException)
        {
            return (answered, longest);
        }
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
