using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using ActorCache.Client;
using ActorCache.Node;
using ActorCache.Protocol;
using ActorCache.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Faults;

/// <summary>
/// A disk that is full (ENOSPC), failing (EIO) or stalled: the node keeps answering from memory, acknowledged writes are
/// never dropped, save failures are visible, saves are retried with backoff, and everything dirty lands once the disk
/// recovers. The metrics are process-wide, so these specs run on a database no other spec uses.
/// </summary>
public sealed class DiskFaultsSpec(ITestOutputHelper output) : NodeSpec(output)
{
    private const int Db = 27;

    private async Task<(ActorCacheNode Node, ICacheClient Client)> StartAsync(TimeSpan? minBackoff = null, TimeSpan? maxBackoff = null)
    {
        var (node, client) = await StartNodeAsync(Settings(s => s with
        {
            Databases = Db + 1,
            SaveRetryMinBackoff = minBackoff ?? TimeSpan.FromMilliseconds(10),
            SaveRetryMaxBackoff = maxBackoff ?? TimeSpan.FromMilliseconds(40),
        }));
        return (node, client.WithDatabase(Db));
    }

    [Fact]
    public async Task With_the_disk_full_writes_are_acknowledged_reads_answer_from_memory_and_the_keys_stay_dirty()
    {
        using var metrics = new SaveFailureCounter(Db);
        var (node, client) = await StartAsync();
        Store.WriteFault = DiskFault.NoSpace;

        foreach (var key in new[] { "a", "b", "c" }) Assert.Equal("OK", Text(await client.ExecuteAsync("SET", key, key + "-value")));

        await AwaitAssertAsync(async () => Assert.True((await StatsOf(node, Db)).SaveFailures >= 3));
        Assert.Equal("a-value", await client.GetAsync("a"));
        Assert.Equal("c-value", await client.GetAsync("c"));
        Assert.Equal(3, (await StatsOf(node, Db)).DirtyKeys);
        Assert.True((await client.GetStatsAsync()).DiskSaveFailures >= 3);
        Assert.True(metrics.Count >= 3, $"the save failures metric counted {metrics.Count}");
        Assert.Null(Store.StoredString("a", Db));
    }

    [Fact]
    public async Task A_failing_save_is_retried_with_growing_backoff()
    {
        var minBackoff = TimeSpan.FromMilliseconds(50);
        var (node, client) = await StartAsync(minBackoff, maxBackoff: TimeSpan.FromMilliseconds(200));
        Store.WriteFault = DiskFault.InputOutputError;

        await client.SetAsync("k", "v");

        await AwaitAssertAsync(() => Assert.True(AttemptsOf("k").Count >= 4), TimeSpan.FromSeconds(30));
        var attempts = AttemptsOf("k");
        // Each retry waits at least the backoff for its failure count: 50, 100, 200 ms (the cap). The slack covers the
        // keyspace's coarse tick clock; being late is allowed, being early is not.
        for (var i = 1; i < 4; i++)
        {
            var expected = Math.Min(200, 50 * (1 << (i - 1)));
            var waited = Stopwatch.GetElapsedTime(attempts[i - 1], attempts[i]).TotalMilliseconds;
            Assert.True(waited >= expected - 20, $"retry {i} came after {waited:F0} ms, before its backoff of {expected} ms");
        }

        Assert.Equal(1, (await StatsOf(node, Db)).DirtyKeys);
    }

    [Fact]
    public async Task When_the_disk_recovers_every_dirty_key_lands_on_disk()
    {
        Store.Seed("deleted-while-full", "old", database: Db);
        var (node, client) = await StartAsync();
        Assert.Equal("old", await client.GetAsync("deleted-while-full"));
        Store.WriteFault = DiskFault.NoSpace;

        for (var i = 0; i < 20; i++) await client.SetAsync($"key-{i}", $"value-{i}");
        await client.ExecuteAsync("DEL", "deleted-while-full");
        await AwaitAssertAsync(async () => Assert.True((await StatsOf(node, Db)).SaveFailures >= 21));
        Assert.Equal(21, (await StatsOf(node, Db)).DirtyKeys);

        Store.WriteFault = DiskFault.None;
        await node.FlushAsync(TimeSpan.FromSeconds(30));

        for (var i = 0; i < 20; i++) Assert.Equal($"value-{i}", Store.StoredString($"key-{i}", Db));
        Assert.Null(Store.StoredString("deleted-while-full", Db));
        Assert.Equal(0, (await StatsOf(node, Db)).DirtyKeys);
    }

    [Fact]
    public async Task Read_errors_fail_only_the_keys_that_are_not_in_memory()
    {
        Store.Seed("on-disk", "v", database: Db);
        var (_, client) = await StartAsync();
        await client.SetAsync("in-memory", "m");
        Store.ReadFault = DiskFault.InputOutputError;

        Assert.Equal("m", await client.GetAsync("in-memory"));
        var failed = Text(await client.ExecuteAsync("GET", "on-disk"));
        Assert.StartsWith("ERR disk load failed", failed);
        Assert.Contains("Input/output error", failed);

        Store.ReadFault = DiskFault.None;
        Assert.Equal("v", await client.GetAsync("on-disk"));
    }

    [Fact]
    public async Task A_stalled_store_still_answers_reads_of_keys_in_memory()
    {
        var (node, client) = await StartAsync();
        await client.SetAsync("saved", "s");
        await node.FlushAsync(TimeSpan.FromSeconds(30));
        Store.Stall();

        await client.SetAsync("written-while-stalled", "w");
        await AwaitConditionAsync(() => Task.FromResult(Store.WriterIsWaiting));

        Assert.Equal("s", await client.GetAsync("saved"));
        Assert.Equal("w", await client.GetAsync("written-while-stalled"));
        Assert.Equal("OK", Text(await client.ExecuteAsync("SET", "saved", "changed")));
        Assert.Equal("changed", await client.GetAsync("saved"));

        Store.Unstall();
        await node.FlushAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("w", Store.StoredString("written-while-stalled", Db));
        Assert.Equal("changed", Store.StoredString("saved", Db));
    }

    private List<long> AttemptsOf(string key) => Store.WriteAttempts.Where(a => a.Key == key).Select(a => a.At).ToList();

    /// <summary>Sums the <c>actorcache.disk.save_failures</c> counter for one database, as a metrics exporter would see it.</summary>
    private sealed class SaveFailureCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public SaveFailureCounter(int database)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == CacheMetrics.MeterName && instrument.Name == "actorcache.disk.save_failures") listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == CacheMetrics.DatabaseTag && tag.Value is int db && db == database) Interlocked.Add(ref _count, value);
                }
            });
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
