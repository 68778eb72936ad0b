using System.Text;
using ActorCache.Node;
using ActorCache.Protocol;
using ActorCache.Storage;
using ActorCache.Tests.Support;
using Akka.Actor;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Snapshots;

/// <summary>
/// SAVE's snapshot is one point in time (DESIGN.md section 2): writers that keep two counters equal inside
/// transactions never see them differ in any snapshot, while the node keeps serving during each one.
/// </summary>
public sealed class PointInTimeSnapshotSpec(ITestOutputHelper output) : NodeSpec(output)
{
    public static TheoryData<string> Backends => new() { "rocksdb", "file" };

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Every_snapshot_holds_the_two_counters_equal_while_transactions_keep_changing_them(string backend)
    {
        // A flush delay of a few ms: some increments are on disk, others only dirty in memory, at each snapshot.
        var (node, client) = await StartNodeAsync(
            Settings(s => s with { Backend = backend, CacheFlushDelay = TimeSpan.FromMilliseconds(3) }),
            () => DiskStoreFactory.Open(backend, DataDirectory));
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(() => IncrementBothAsync(node, w, stop.Token))).ToArray();

        var snapshots = new List<SnapshotCompleted>();
        for (var i = 0; i < 6; i++)
        {
            await AwaitConditionAsync(async () => await client.GetAsync("a") is { } a && long.Parse(a) > (i + 1) * 20);
            snapshots.Add(await node.SaveSnapshotAsync());
        }

        await stop.CancelAsync();
        var increments = (await Task.WhenAll(writers)).Sum();

        Assert.All(snapshots, s => Assert.True(s.Succeeded, s.Error));
        var counted = snapshots.Select(s => ReadCounters(backend, s.Directory)).ToList();
        Assert.All(counted, pair => Assert.Equal(pair.A, pair.B));
        Assert.True(counted.Last().A > 0, "the last snapshot holds increments");
        Assert.Equal(increments.ToString(), await client.GetAsync("a"));
        Assert.Equal(increments.ToString(), await client.GetAsync("b"));
    }

    [Fact]
    public async Task A_snapshot_holds_dirty_keys_and_writes_after_it_wait_for_it_without_being_lost()
    {
        var (node, client) = await StartNodeAsync(
            Settings(s => s with { CacheFlushDelay = TimeSpan.FromHours(1) }),
            () => DiskStoreFactory.Open("rocksdb", DataDirectory));
        await client.SetAsync("dirty", "in memory only");

        var snapshot = await node.SaveSnapshotAsync();
        await client.SetAsync("after", "later");
        await node.FlushAsync(RemainingOrDefault);

        Assert.True(snapshot.Succeeded, snapshot.Error);
        using (var copy = new RocksDbDiskStore(snapshot.Directory))
        {
            Assert.Equal("in memory only", StringOf(copy.MultiGet(0, [Bytes("dirty")])[0]));
            Assert.Null(copy.MultiGet(0, [Bytes("after")])[0]);
        }

        Assert.Equal("later", await client.GetAsync("after"));
        var status = await node.SnapshotStatusAsync();
        Assert.Equal(snapshot.Directory, status.LastDirectory);
        Assert.False(status.InProgress);
    }

    [Fact]
    public async Task A_store_that_cannot_take_snapshots_fails_the_snapshot_and_the_node_keeps_serving()
    {
        var (node, client) = await StartNodeAsync();
        await client.SetAsync("k", "v");

        var snapshot = await node.SaveSnapshotAsync();

        Assert.False(snapshot.Succeeded);
        Assert.NotNull((await node.SnapshotStatusAsync()).LastError);
        await client.SetAsync("k", "still writable");
        await node.FlushAsync(RemainingOrDefault);
        Assert.Equal("still writable", Store.StoredString("k"));
    }

    [Fact]
    public async Task A_flushdb_during_a_snapshot_waits_for_it_and_the_snapshot_keeps_the_keys()
    {
        var store = new FakeDiskStore(new RocksDbDiskStore(Path.Combine(DataDirectory, "rocksdb")));
        var (node, client) = await StartNodeAsync(Settings(s => s with { CacheFlushDelay = TimeSpan.FromHours(1) }), () => store);
        await client.SetAsync("k", "v");
        store.HoldWrites();

        // The snapshot's save of the dirty key waits in the store: the hold is on.
        var snapshot = node.SaveSnapshotAsync();
        await AwaitConditionAsync(() => Task.FromResult(store.WriterIsWaiting));
        var flush = client.ExecuteAsync("FLUSHDB");
        store.ReleaseWrites();
        var taken = await snapshot;
        await flush;

        Assert.True(taken.Succeeded, taken.Error);
        using var copy = new RocksDbDiskStore(taken.Directory);
        Assert.Equal("v", StringOf(copy.MultiGet(0, [Bytes("k")])[0]));
        Assert.Null(await client.GetAsync("k"));
    }

    private static async Task<long> IncrementBothAsync(ActorCacheNode node, int writer, CancellationToken stop)
    {
        var done = 0L;
        var incrementBoth = new[] { new[] { Bytes("INCR"), Bytes("a") }, [Bytes("INCR"), Bytes("b")] };
        while (!stop.IsCancellationRequested)
        {
            var reply = await node.Entry.Ask<CacheReply>(new CacheTransaction(writer * 1_000_000_000L + done, 0, incrementBoth, []), TimeSpan.FromSeconds(30));
            Assert.IsType<ArrayReply>(reply.Reply);
            done++;
        }

        return done;
    }

    private static (long A, long B) ReadCounters(string backend, string directory)
    {
        using IDiskStore copy = backend == "rocksdb" ? new RocksDbDiskStore(directory) : new FileDiskStore(directory);
        var values = copy.MultiGet(0, [Bytes("a"), Bytes("b")]);
        return (long.Parse(StringOf(values[0]) ?? "0"), long.Parse(StringOf(values[1]) ?? "0"));
    }

    private static string? StringOf(byte[]? record) => record is null ? null : Encoding.UTF8.GetString(RecordCodec.Decode(record).Payload);
}
