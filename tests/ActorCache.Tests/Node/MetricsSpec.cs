using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ActorCache.Node;
using ActorCache.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Node;

/// <summary>
/// The ActorCache meter, read the way dotnet-counters and OpenTelemetry read it: a <see cref="MeterListener"/> on the
/// meter's name. Other specs run nodes in the same process at the same time and the meter is process-wide, so these
/// specs use a node with more databases than any other spec and look only at measurements tagged with the last one.
/// </summary>
public sealed class MetricsSpec(ITestOutputHelper output) : NodeSpec(output)
{
    private const int Db = 23;

    private Task<(ActorCacheNode Node, Client.ICacheClient Client)> StartAsync(Func<ActorCache.Settings.CacheSettings, ActorCache.Settings.CacheSettings>? change = null) =>
        StartOnOwnDatabaseAsync(Settings(s => (change ?? (x => x))(s with { Databases = Db + 1 })));

    private async Task<(ActorCacheNode Node, Client.ICacheClient Client)> StartOnOwnDatabaseAsync(ActorCache.Settings.CacheSettings settings)
    {
        var (node, client) = await StartNodeAsync(settings);
        return (node, client.WithDatabase(Db));
    }

    [Fact]
    public async Task A_read_of_a_key_in_memory_is_a_hit_and_a_blind_write_counts_nothing()
    {
        using var metrics = new Recorder(Db);
        var (_, client) = await StartAsync();

        await client.SetAsync("k", "v");
        Assert.Equal("v", await client.GetAsync("k"));

        Assert.Equal(1, metrics.Counter("actorcache.keyspace.hits"));
        Assert.Equal(0, metrics.Counter("actorcache.keyspace.misses"));
        Assert.Equal(0, metrics.Counter("actorcache.disk.loads"));
    }

    [Fact]
    public async Task A_read_of_a_key_only_on_disk_is_a_miss_and_a_load()
    {
        using var metrics = new Recorder(Db);
        var (node, client) = await StartAsync();
        Store.Seed("on-disk", "v", database: Db);

        Assert.Equal("v", await client.GetAsync("on-disk"));
        Assert.Equal("v", await client.GetAsync("on-disk"));

        Assert.Equal(1, metrics.Counter("actorcache.keyspace.misses"));
        Assert.Equal(1, metrics.Counter("actorcache.disk.loads"));
        Assert.Equal(1, metrics.Counter("actorcache.keyspace.hits"));
        Assert.Equal(0, metrics.Counter("actorcache.keyspace.negative_cache.hits"));
        var stats = await StatsOf(node, Db);
        Assert.Equal((1, 1, 1), (stats.Misses, stats.DiskLoads, stats.Hits));
    }

    [Fact]
    public async Task A_second_read_of_a_missing_key_is_a_negative_cache_hit_without_a_load()
    {
        using var metrics = new Recorder(Db);
        var (node, client) = await StartAsync();

        Assert.Null(await client.GetAsync("missing"));
        Assert.Null(await client.GetAsync("missing"));

        Assert.Equal(2, metrics.Counter("actorcache.keyspace.misses"));
        Assert.Equal(1, metrics.Counter("actorcache.keyspace.negative_cache.hits"));
        Assert.Equal(1, metrics.Counter("actorcache.disk.loads"));
        Assert.Equal(0, metrics.Counter("actorcache.keyspace.hits"));
        Assert.Equal(1, (await StatsOf(node, Db)).NegativeCacheHits);
    }

    [Fact]
    public async Task Saves_and_save_failures_are_counted()
    {
        using var metrics = new Recorder(Db);
        var (node, client) = await StartAsync(s => s with { SaveRetryMinBackoff = TimeSpan.FromMilliseconds(1), SaveRetryMaxBackoff = TimeSpan.FromMilliseconds(1) });
        Store.FailWritesOf("bad");

        await client.SetAsync("a", "1");
        await client.SetAsync("bad", "2");
        await AwaitAssertAsync(() => Assert.True(metrics.Counter("actorcache.disk.save_failures") >= 1));
        Store.FailWritesOf("bad", fail: false);
        await node.FlushAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, metrics.Counter("actorcache.disk.saves"));
        Assert.Equal((await StatsOf(node, Db)).SaveFailures, metrics.Counter("actorcache.disk.save_failures"));
    }

    [Fact]
    public async Task Keys_evicted_under_a_memory_limit_are_counted()
    {
        using var metrics = new Recorder(Db);
        var (node, client) = await StartAsync(s => s with { CacheMaxMemory = 8 * 1024 });

        for (var i = 0; i < 300; i++) await client.SetAsync($"key-{i}", new string('v', 100));
        await node.FlushAsync(TimeSpan.FromSeconds(30));

        var evicted = (await StatsOf(node, Db)).EvictedKeys;
        Assert.True(evicted > 0, "300 keys of 100 bytes do not fit in 8 KiB");
        Assert.Equal(evicted, metrics.Counter("actorcache.keyspace.evictions"));
    }

    [Fact]
    public async Task Gauges_report_dirty_keys_and_jobs_while_saves_are_held_and_fall_back_once_they_are_done()
    {
        using var metrics = new Recorder(Db);
        var (node, client) = await StartAsync();
        Store.HoldWrites();

        await client.SetAsync("a", "1");
        await client.SetAsync("b", "2");
        await client.SetAsync("c", "3");

        // Keyspaces publish their figures about once a second, so the gauges catch up rather than follow at once.
        await AwaitAssertAsync(() =>
        {
            metrics.Collect();
            Assert.Equal(3, metrics.Gauge("actorcache.keyspace.dirty_keys"));
            Assert.True(metrics.Gauge("actorcache.io.jobs_in_flight") >= 1);
            Assert.True(metrics.Gauge("actorcache.memory.used") > 0);
            Assert.Equal(0, metrics.Gauge("actorcache.keyspace.parked_requests"));
        }, TimeSpan.FromSeconds(10));

        Store.ReleaseWrites();
        await node.FlushAsync(TimeSpan.FromSeconds(30));
        await AwaitAssertAsync(() =>
        {
            metrics.Collect();
            Assert.Equal(0, metrics.Gauge("actorcache.keyspace.dirty_keys"));
            Assert.Equal(0, metrics.Gauge("actorcache.io.queue.length"));
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Get_stats_gives_every_database_figures_embedded()
    {
        var (_, client) = await StartAsync(s => s with { CacheMaxMemory = 1 << 20 });
        await client.SetAsync("k", "v");
        await client.GetAsync("k");
        await client.GetAsync("missing");

        var stats = await client.GetStatsAsync();

        Assert.Equal(Db + 1, stats.Databases.Count);
        Assert.Equal(1 << 20, stats.MaxMemory);
        var mine = stats.Databases[Db];
        Assert.Equal((1, 1, 1, 1), (mine.KeysInMemory, mine.Hits, mine.Misses, mine.DiskLoads));
        Assert.True(mine.UsedMemory > 0);
        Assert.Equal(mine.UsedMemory, stats.UsedMemory);
        Assert.Equal(0, stats.Databases[0].Hits);
    }

    [Fact]
    public void The_meter_is_named_ActorCache_and_carries_the_assembly_version()
    {
        Assert.Equal("ActorCache", CacheMetrics.Meter.Name);
        Assert.Equal(typeof(CacheMetrics).Assembly.GetName().Version?.ToString(), CacheMetrics.Meter.Version);
    }

    /// <summary>Sums the counters and keeps the last gauge values of one database, as an exporter would.</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, long> _counters = new();
        private readonly ConcurrentDictionary<string, long> _gauges = new();
        private readonly int _database;

        public Recorder(int database)
        {
            _database = database;
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == CacheMetrics.MeterName) listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>(OnMeasurement);
            _listener.Start();
        }

        public long Counter(string name) => _counters.GetValueOrDefault(name);

        public long Gauge(string name) => _gauges.TryGetValue(name, out var value) ? value : -1;

        /// <summary>
        /// Reads every gauge afresh. A node of an earlier spec that is still stopping publishes the same database too,
        /// so a gauge is the sum over the nodes alive now, as a collector that merges identical series would show it.
        /// </summary>
        public void Collect()
        {
            _gauges.Clear();
            _listener.RecordObservableInstruments();
        }

        public void Dispose() => _listener.Dispose();

        private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        {
            if (!IsMine(tags)) return;
            if (instrument is Counter<long>) _counters.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
            else _gauges.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
        }

        private bool IsMine(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == CacheMetrics.DatabaseTag && tag.Value is int database) return database == _database;
            }

            return false;
        }
    }
}
