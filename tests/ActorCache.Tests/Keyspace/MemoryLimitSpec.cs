using System.Text;
using ActorCache.Keyspace;
using ActorCache.Node;
using ActorCache.Protocol;
using ActorCache.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Keyspace;

/// <summary>
/// cache-max-memory: over the limit clean keys leave memory (approximate LRU), dirty ones never do; with nothing to
/// evict, saves go at once and writes wait (or fail with OOM after max-write-wait) while reads go on.
/// </summary>
public sealed class MemoryLimitSpec(ITestOutputHelper output) : NodeSpec(output)
{
    private const long Limit = 32 * 1024;
    private const string OutOfMemory = "OOM command not allowed when used memory > 'cache-max-memory'.";
    private static readonly TimeSpan Forever = TimeSpan.FromHours(1);
    private static readonly string Value = new('v', 100);

    /// <summary>The estimate of one of the specs' keys with its value: how far a write may take the node over the limit.</summary>
    private static long EntrySize(int i) => Database.SizeOf(new CacheKey(Bytes(KeyName(i))), new StringValue(Bytes(ValueOf(i))));

    private static string KeyName(int i) => $"key-{i:D5}";

    private static string ValueOf(int i) => $"{i}:{Value}";

    private Task<(ActorCacheNode Node, Client.ICacheClient Client)> StartLimitedAsync(long limit = Limit, TimeSpan? maxWriteWait = null, TimeSpan? flushDelay = null) =>
        StartNodeAsync(Settings(s => s with
        {
            CacheMaxMemory = limit,
            MaxWriteWait = maxWriteWait ?? Forever,
            CacheFlushDelay = flushDelay ?? TimeSpan.Zero,
        }));

    [Fact]
    public async Task A_dataset_ten_times_the_limit_is_written_and_read_back_in_full_without_the_estimate_passing_the_limit_by_more_than_one_entry()
    {
        var (node, client) = await StartLimitedAsync();
        var count = (int)(10 * Limit / EntrySize(0));

        for (var i = 0; i < count; i++)
        {
            await client.SetAsync(KeyName(i), ValueOf(i));
            var used = (await StatsOf(node)).UsedMemory;
            Assert.True(used <= Limit + EntrySize(i), $"estimate {used} after write {i} is over the limit {Limit} by more than one entry");
        }

        for (var i = 0; i < count; i++)
        {
            Assert.Equal(ValueOf(i), await client.GetAsync(KeyName(i)));
            var used = (await StatsOf(node)).UsedMemory;
            Assert.True(used <= Limit + EntrySize(i), $"estimate {used} after read {i} is over the limit {Limit} by more than one entry");
        }

        var stats = await StatsOf(node);
        Assert.True(stats.EvictedKeys >= count - Limit / EntrySize(0), $"only {stats.EvictedKeys} evictions");
        Assert.True(Store.ReadsOf(KeyName(0)) >= 1, "the first keys were evicted, so reading them back reads the disk");
        Assert.Equal(stats.UsedMemory, node.Memory.Used);
    }

    [Fact]
    public async Task Under_constant_writes_to_a_stalled_disk_memory_stays_bounded_and_writers_wait_until_the_disk_takes_the_saves()
    {
        var (node, client) = await StartLimitedAsync();
        Store.HoldWrites();
        var count = (int)(3 * Limit / EntrySize(0));

        var writes = Enumerable.Range(0, count).Select(i => client.SetAsync(KeyName(i), ValueOf(i))).ToArray();
        await AwaitAssertAsync(async () => Assert.True((await StatsOf(node)).WritesWaiting > 0));

        var stats = await StatsOf(node);
        Assert.True(stats.UsedMemory <= Limit + EntrySize(0), $"estimate {stats.UsedMemory} over the limit by more than one entry");
        Assert.DoesNotContain(writes, w => w.IsFaulted);
        Assert.Contains(writes, w => !w.IsCompleted);

        Store.ReleaseWrites();
        await Task.WhenAll(writes);
        await node.FlushAsync(RemainingOrDefault);
        for (var i = 0; i < count; i++) Assert.Equal(ValueOf(i), Store.StoredString(KeyName(i)));
        Assert.True((await StatsOf(node)).UsedMemory <= Limit + EntrySize(0));
    }

    [Fact]
    public async Task A_write_that_waits_for_memory_longer_than_max_write_wait_fails_with_the_oom_error()
    {
        var (node, client) = await StartLimitedAsync(maxWriteWait: TimeSpan.FromMilliseconds(100));
        Store.HoldWrites();
        var count = (int)(2 * Limit / EntrySize(0));

        var replies = await Task.WhenAll(Enumerable.Range(0, count).Select(i => client.ExecuteAsync("SET", KeyName(i), ValueOf(i))));

        var errors = replies.OfType<ErrorReply>().ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Equal(OutOfMemory, e.Message));
        Assert.Equal(0, (await StatsOf(node)).WritesWaiting);
        // The writes that were accepted are all kept and reach the disk once it moves again.
        Store.ReleaseWrites();
        await node.FlushAsync(RemainingOrDefault);
        for (var i = 0; i < count; i++)
        {
            if (replies[i] is ErrorReply) Assert.Null(await client.GetAsync(KeyName(i)));
            else Assert.Equal(ValueOf(i), Store.StoredString(KeyName(i)));
        }
    }

    [Fact]
    public async Task Dirty_keys_are_never_evicted_and_all_land_on_disk_under_memory_pressure()
    {
        // A flush delay that never passes: only memory pressure (or the barrier) sends these saves.
        var (node, client) = await StartLimitedAsync(flushDelay: Forever);
        var count = (int)(4 * Limit / EntrySize(0));

        await Task.WhenAll(Enumerable.Range(0, count).Select(i => client.SetAsync(KeyName(i), ValueOf(i))));
        await node.FlushAsync(RemainingOrDefault);

        for (var i = 0; i < count; i++) Assert.Equal(ValueOf(i), Store.StoredString(KeyName(i)));
        for (var i = 0; i < count; i++) Assert.Equal(ValueOf(i), await client.GetAsync(KeyName(i)));
        Assert.True((await StatsOf(node)).EvictedKeys > 0);
    }

    [Fact]
    public async Task Lowering_the_limit_at_run_time_evicts_down_to_it()
    {
        var (node, client) = await StartLimitedAsync(limit: 0);
        var count = (int)(4 * Limit / EntrySize(0));
        for (var i = 0; i < count; i++) await client.SetAsync(KeyName(i), ValueOf(i));
        await node.FlushAsync(RemainingOrDefault);
        Assert.True((await StatsOf(node)).UsedMemory > Limit);

        await node.ChangeSettingsAsync(s => s with { CacheMaxMemory = Limit });

        await AwaitAssertAsync(async () => Assert.True((await StatsOf(node)).UsedMemory <= Limit));
        Assert.True(node.Memory.Used <= Limit);
        for (var i = 0; i < count; i++) Assert.Equal(ValueOf(i), await client.GetAsync(KeyName(i)));
    }

    [Fact]
    public async Task Reads_of_keys_in_memory_answer_while_writes_wait_for_memory()
    {
        var (node, client) = await StartLimitedAsync();
        Store.HoldWrites();
        // Dirty with its save stuck at the disk: it cannot be evicted, so it stays in memory.
        await client.SetAsync("hot", "still here");
        var writes = Enumerable.Range(0, (int)(2 * Limit / EntrySize(0))).Select(i => client.SetAsync(KeyName(i), ValueOf(i))).ToArray();
        await AwaitAssertAsync(async () => Assert.True((await StatsOf(node)).WritesWaiting > 0));

        Assert.Equal("still here", await client.GetAsync("hot"));
        Assert.Equal(10, await client.ExecuteAsync("STRLEN", "hot") is IntegerReply { Value: var length } ? length : -1);
        Assert.True((await StatsOf(node)).WritesWaiting > 0);
        Assert.Equal(0, Store.ReadsOf("hot"));

        Store.ReleaseWrites();
        await Task.WhenAll(writes);
    }

    [Fact]
    public async Task A_read_behind_a_write_waiting_for_memory_on_the_same_key_sees_that_write()
    {
        var (node, client) = await StartLimitedAsync();
        await client.SetAsync("k", "old");
        Store.HoldWrites();
        var fill = Enumerable.Range(0, (int)(2 * Limit / EntrySize(0))).Select(i => client.SetAsync(KeyName(i), ValueOf(i))).ToArray();
        await AwaitAssertAsync(async () => Assert.True((await StatsOf(node)).WritesWaiting > 0));

        var write = client.SetAsync("k", "new");
        var read = client.GetAsync("k");

        Store.ReleaseWrites();
        await write;
        Assert.Equal("new", await read);
        await Task.WhenAll(fill);
    }

    [Fact]
    public async Task The_estimate_follows_overwrites_deletes_expiry_and_flushdb_back_to_zero()
    {
        var (node, client) = await StartLimitedAsync(limit: 1024 * 1024);

        await client.SetAsync("a", "1");
        var one = (await StatsOf(node)).UsedMemory;
        Assert.Equal(Database.SizeOf(new CacheKey(Bytes("a")), new StringValue(Bytes("1"))), one);
        await client.SetAsync("a", new string('x', 1000));
        Assert.Equal(Database.SizeOf(new CacheKey(Bytes("a")), new StringValue(new byte[1000])), (await StatsOf(node)).UsedMemory);
        await client.ExecuteAsync("EXPIRE", "a", "100");
        Assert.Equal(Database.SizeOf(new CacheKey(Bytes("a")), new StringValue(new byte[1000])) + Database.VolatileOverhead, (await StatsOf(node)).UsedMemory);
        await client.ExecuteAsync("DEL", "a");
        Assert.Equal(0, (await StatsOf(node)).UsedMemory);

        for (var i = 0; i < 10; i++) await client.SetAsync(KeyName(i), ValueOf(i));
        await client.ExecuteAsync("FLUSHDB");
        Assert.Equal(0, (await StatsOf(node)).UsedMemory);
        Assert.Equal(0, node.Memory.Used);
    }

    [Fact]
    public async Task Memory_is_one_budget_shared_by_all_databases()
    {
        var (node, client) = await StartLimitedAsync();
        var other = client.WithDatabase(1);
        var count = (int)(2 * Limit / EntrySize(0));

        for (var i = 0; i < count; i++) await client.SetAsync(KeyName(i), ValueOf(i));
        await node.FlushAsync(RemainingOrDefault);
        for (var i = 0; i < count; i++) await other.SetAsync(KeyName(i), ValueOf(i));
        await node.FlushAsync(RemainingOrDefault);

        await AwaitAssertAsync(async () =>
        {
            var total = (await StatsOf(node, 0)).UsedMemory + (await StatsOf(node, 1)).UsedMemory;
            Assert.True(total <= Limit + 2 * EntrySize(0), $"two databases hold {total} bytes");
        });
        Assert.Equal((await StatsOf(node, 0)).UsedMemory + (await StatsOf(node, 1)).UsedMemory, node.Memory.Used);
    }

    [Fact]
    public async Task A_write_never_runs_on_a_key_that_eviction_took_to_make_room_for_it()
    {
        const long limit = 8192;
        var (node, client) = await StartLimitedAsync(limit);
        var original = new string('a', 2000);
        await client.SetAsync("a", original);
        await node.FlushAsync(RemainingOrDefault);
        Store.HoldWrites();
        // Another database goes over the limit by less than "a" weighs, with a key that cannot be evicted (dirty):
        // making room for the next write in database 0 means evicting "a", the very key that write appends to.
        var sizeOfA = Database.SizeOf(new CacheKey(Bytes("a")), new StringValue(Bytes(original)));
        var big = (int)(limit + 1000 - sizeOfA - Database.SizeOf(new CacheKey(Bytes("big")), new StringValue([])));
        await client.WithDatabase(1).SetAsync("big", new string('b', big));
        // The keyspace publishes its estimate right after it answers.
        await AwaitConditionAsync(() => Task.FromResult(node.Memory.IsOver));

        var appended = client.ExecuteAsync("APPEND", "a", "x");

        Store.ReleaseWrites();
        Assert.Equal(2001, await appended is IntegerReply { Value: var length } ? length : -1);
        Assert.Equal(original + "x", await client.GetAsync("a"));
    }
}
