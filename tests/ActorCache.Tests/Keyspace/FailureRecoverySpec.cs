using ActorCache.Protocol;
using ActorCache.Storage;
using ActorCache.Tests.Support;
using Akka.Actor;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Keyspace;

/// <summary>Disk failures around FLUSHDB, failed loads and barriers lose nothing, bring nothing back and leave no one waiting.</summary>
public sealed class FailureRecoverySpec(ITestOutputHelper output) : NodeSpec(output)
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_flushdb_queued_behind_a_load_batch_with_a_failed_key_brings_no_value_back()
    {
        Store.Write(0, [new StoreWrite(Bytes("corrupt"), [1, 2, 3])]);
        Store.Seed("y", "old");
        var (_, client) = await StartNodeAsync();
        Store.HoldReads();

        var mget = client.ExecuteAsync("MGET", "corrupt", "y");
        var flush = client.ExecuteAsync("FLUSHDB");
        var get = client.ExecuteAsync("GET", "y");
        Store.ReleaseReads();

        Assert.StartsWith("ERR disk load failed", Text(await mget));
        Assert.Equal("OK", Text(await flush));
        Assert.Equal(RedisReply.Nil, await get);
        Assert.Equal(0, await client.DatabaseSizeAsync());
    }

    [Fact]
    public async Task Two_failed_flushdb_deletes_are_retried_and_loads_go_on()
    {
        Store.FailNextDatabaseDeletes(2);
        var (node, client) = await StartNodeAsync(Settings(s => s with { SaveRetryMinBackoff = TimeSpan.FromMilliseconds(5) }));

        await client.ExecuteAsync("FLUSHDB");
        await client.ExecuteAsync("FLUSHDB");

        Assert.Null(await client.GetAsync("anything").WaitAsync(Liveness));
        await node.FlushAsync(Liveness);
    }

    [Fact]
    public async Task A_retried_flushdb_delete_never_erases_writes_made_after_the_flushdb()
    {
        Store.Seed("old", "v");
        Store.FailNextDatabaseDeletes(1);
        var (node, client) = await StartNodeAsync(Settings(s => s with { SaveRetryMinBackoff = TimeSpan.FromMilliseconds(50) }));

        await client.ExecuteAsync("FLUSHDB");
        Assert.Equal(0, await client.DatabaseSizeAsync());
        await client.SetAsync("new", "kept");
        await node.StopAsync();

        var (_, restarted) = await StartNodeAsync();
        Assert.Equal("kept", await restarted.GetAsync("new"));
        Assert.Null(await restarted.GetAsync("old"));
    }

    [Fact]
    public async Task The_barrier_waits_only_for_writes_made_before_it()
    {
        var (node, client) = await StartNodeAsync();
        Store.FailWritesOf("late");
        Store.HoldWrites();
        await client.SetAsync("early", "v");
        await AwaitConditionAsync(() => Task.FromResult(Store.WriterIsWaiting));

        var barrier = (await KeyspaceOf(node)).Ask<FlushedToDisk>(FlushToDisk.Instance, Liveness);
        await client.SetAsync("late", "never lands");
        Store.ReleaseWrites();

        await barrier;
        Assert.Equal("v", Store.StoredString("early"));
        Assert.Null(Store.StoredString("late"));
    }

    [Fact]
    public async Task A_key_freed_by_another_keys_failed_load_is_not_tracked_afterwards()
    {
        Store.Write(0, [new StoreWrite(Bytes("corrupt"), [1, 2, 3])]);
        var (node, client) = await StartNodeAsync();
        await client.SetAsync("a", "v");
        await node.FlushAsync(Liveness);

        Assert.StartsWith("ERR disk load failed", Text(await client.ExecuteAsync("MGET", "a", "corrupt")));

        Assert.Equal("v", await client.GetAsync("a"));
        Assert.Equal(0, (await StatsOf(node)).TrackedKeys);
    }

    [Fact]
    public async Task Stopping_twice_is_one_stop()
    {
        var (node, _) = await StartNodeAsync();

        var first = node.StopAsync();
        var second = node.StopAsync();

        Assert.Same(first, second);
        await first;
    }

    [Fact]
    public async Task A_stopping_keyspace_refuses_new_requests_instead_of_acknowledging_writes_it_could_lose()
    {
        var (node, client) = await StartNodeAsync(Settings(s => s with { CacheFlushDelay = TimeSpan.FromHours(1) }));
        await client.SetAsync("before", "v");
        var keyspace = await KeyspaceOf(node);

        keyspace.Tell(ActorCache.Keyspace.PrepareToStop.Instance, TestActor);
        await ExpectMsgAsync<FlushedToDisk>();
        keyspace.Tell(new CacheRequest(1, 0, [Bytes("SET"), Bytes("after"), Bytes("v")]), TestActor);

        Assert.Equal("ERR ActorCache node is shutting down", Text((await ExpectMsgAsync<CacheReply>()).Reply));
        Assert.Equal("v", Store.StoredString("before"));
    }
}
