using ActorCache.Keyspace;
using ActorCache.Protocol;
using ActorCache.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Transactions;

/// <summary>
/// Transactions inside one keyspace (DESIGN.md section 2): every key loaded first, the commands back to back, Redis's
/// error rules, conditions, WATCH, and saves that reach the disk together.
/// </summary>
public sealed class TransactionSpec(ITestOutputHelper output) : NodeSpec(output)
{
    private long _correlation;

    private CacheTransaction Transaction(string[][] commands, params TransactionCondition[] conditions) =>
        new(++_correlation, 0, commands.Select(c => c.Select(Bytes).ToArray()).ToArray(), conditions);

    private async Task<RedisReply> RunAsync(Akka.Actor.IActorRef target, object transaction)
    {
        target.Tell(transaction, TestActor);
        return (await ExpectMsgAsync<CacheReply>()).Reply;
    }

    private static string[] Texts(RedisReply reply) => ((ArrayReply)reply).Items!.Select(Text).ToArray();

    [Fact]
    public async Task A_transaction_runs_its_commands_back_to_back_and_answers_each_reply()
    {
        var (node, _) = await StartNodeAsync();

        var reply = await RunAsync(node.Entry, Transaction([["SET", "a", "1"], ["INCR", "a"], ["GET", "a"]]));

        Assert.Equal(["OK", "2", "2"], Texts(reply));
    }

    [Fact]
    public async Task A_transaction_loads_its_keys_from_disk_before_running()
    {
        var (node, client) = await StartNodeAsync();
        await client.SetAsync("counter", "41");
        await node.FlushCacheAsync();
        Assert.Equal(0, (await StatsOf(node)).KeysInMemory);

        var reply = await RunAsync(node.Entry, Transaction([["INCR", "counter"]]));

        Assert.Equal(["42"], Texts(reply));
    }

    [Fact]
    public async Task An_unknown_command_refuses_the_whole_transaction_and_nothing_runs()
    {
        var (node, client) = await StartNodeAsync();

        var reply = await RunAsync(node.Entry, Transaction([["SET", "a", "1"], ["NOSUCHCOMMAND", "x"]]));

        Assert.StartsWith("EXECABORT Transaction discarded because of previous errors.", Text(reply));
        Assert.Contains("unknown command", Text(reply));
        Assert.Null(await client.GetAsync("a"));
    }

    [Fact]
    public async Task A_whole_database_command_is_not_allowed_in_a_transaction()
    {
        var (node, client) = await StartNodeAsync();

        var reply = await RunAsync(node.Entry, Transaction([["SET", "a", "1"], ["FLUSHDB"]]));

        Assert.StartsWith("EXECABORT", Text(reply));
        Assert.Null(await client.GetAsync("a"));
    }

    [Fact]
    public async Task A_runtime_error_in_one_command_does_not_undo_the_others()
    {
        var (node, client) = await StartNodeAsync();
        await client.SetAsync("text", "not a number");

        var reply = await RunAsync(node.Entry, Transaction([["SET", "a", "1"], ["INCR", "text"], ["SET", "b", "2"]]));

        var replies = Texts(reply);
        Assert.Equal("OK", replies[0]);
        Assert.StartsWith("ERR value is not an integer", replies[1]);
        Assert.Equal("OK", replies[2]);
        Assert.Equal("1", await client.GetAsync("a"));
        Assert.Equal("2", await client.GetAsync("b"));
    }

    [Fact]
    public async Task A_condition_that_holds_lets_the_transaction_run()
    {
        var (node, client) = await StartNodeAsync();
        await client.SetAsync("balance", "10");

        var reply = await RunAsync(node.Entry, Transaction(
            [["SET", "balance", "7"], ["SET", "spent", "3"]],
            TransactionCondition.ValueEquals(Bytes("balance"), Bytes("10")),
            TransactionCondition.NotExists(Bytes("spent"))));

        Assert.Equal(["OK", "OK"], Texts(reply));
        Assert.Equal("7", await client.GetAsync("balance"));
    }

    [Fact]
    public async Task A_condition_that_fails_runs_nothing_and_answers_a_nil_array()
    {
        var (node, client) = await StartNodeAsync();
        await client.SetAsync("balance", "9");

        var reply = await RunAsync(node.Entry, Transaction(
            [["SET", "balance", "6"], ["SET", "spent", "3"]],
            TransactionCondition.ValueEquals(Bytes("balance"), Bytes("10"))));

        Assert.Equal(RedisReply.NilArray, reply);
        Assert.Equal("9", await client.GetAsync("balance"));
        Assert.Null(await client.GetAsync("spent"));
    }

    [Fact]
    public async Task The_saves_of_a_transaction_reach_the_disk_in_one_write()
    {
        var store = new BatchRecordingStore();
        var (node, client) = await StartNodeAsync(Settings(s => s with { CacheFlushDelay = TimeSpan.FromHours(1) }), () => store);
        await client.SetAsync("b", "old");

        await RunAsync(node.Entry, Transaction([["SET", "a", "1"], ["SET", "b", "2"], ["DEL", "c"], ["SET", "c", "3"]]));
        await client.SetAsync("unrelated", "x");
        await node.FlushAsync(RemainingOrDefault);

        var batch = Assert.Single(store.Batches, b => b.Contains("a"));
        Assert.Equal(["a", "b", "c"], batch.Order());
        Assert.DoesNotContain("unrelated", batch);
    }

    [Fact]
    public async Task Transactions_that_share_a_key_are_saved_together()
    {
        var store = new BatchRecordingStore();
        var (node, _) = await StartNodeAsync(Settings(s => s with { CacheFlushDelay = TimeSpan.FromHours(1) }), () => store);

        await RunAsync(node.Entry, Transaction([["SET", "a", "1"], ["SET", "b", "1"]]));
        await RunAsync(node.Entry, Transaction([["SET", "b", "2"], ["SET", "c", "2"]]));
        await RunAsync(node.Entry, Transaction([["SET", "x", "3"], ["SET", "y", "3"]]));
        await node.FlushAsync(RemainingOrDefault);

        Assert.Equal(["a", "b", "c"], Assert.Single(store.Batches, b => b.Contains("a")).Order());
        Assert.Equal(["x", "y"], Assert.Single(store.Batches, b => b.Contains("x")).Order());
    }

    [Fact]
    public async Task A_watched_key_changed_by_another_client_aborts_the_transaction()
    {
        var (node, client) = await StartNodeAsync();
        var keyspace = await KeyspaceOf(node);
        await client.SetAsync("k", "before");
        var version = await WatchAsync(keyspace, "k");

        await client.SetAsync("k", "changed");
        var reply = await RunAsync(keyspace, new ExecTransaction(Transaction([["SET", "k", "mine"]]), [new KeyVersion(Bytes("k"), version)]));

        Assert.Equal(RedisReply.NilArray, reply);
        Assert.Equal("changed", await client.GetAsync("k"));
    }

    [Fact]
    public async Task An_unchanged_watched_key_lets_the_transaction_run_and_releases_the_watch()
    {
        var (node, client) = await StartNodeAsync();
        var keyspace = await KeyspaceOf(node);
        await client.SetAsync("k", "before");
        var version = await WatchAsync(keyspace, "k");

        var reply = await RunAsync(keyspace, new ExecTransaction(Transaction([["SET", "k", "mine"]]), [new KeyVersion(Bytes("k"), version)]));

        Assert.Equal(["OK"], Texts(reply));
        await node.FlushAsync(RemainingOrDefault);
        Assert.Equal(0, (await StatsOf(node)).TrackedKeys);
    }

    [Fact]
    public async Task A_watched_key_that_expires_before_exec_aborts_the_transaction()
    {
        var (node, client) = await StartNodeAsync();
        var keyspace = await KeyspaceOf(node);
        await client.SetAsync("k", "v", TimeSpan.FromSeconds(10));
        var version = await WatchAsync(keyspace, "k");

        Clock.Advance(TimeSpan.FromSeconds(11));
        var reply = await RunAsync(keyspace, new ExecTransaction(Transaction([["SET", "other", "x"]]), [new KeyVersion(Bytes("k"), version)]));

        Assert.Equal(RedisReply.NilArray, reply);
        Assert.Null(await client.GetAsync("other"));
    }

    [Fact]
    public async Task A_watched_key_stays_in_memory_until_it_is_unwatched()
    {
        var (node, client) = await StartNodeAsync();
        var keyspace = await KeyspaceOf(node);
        await client.SetAsync("k", "v");
        await WatchAsync(keyspace, "k");

        await node.FlushCacheAsync();
        Assert.Equal(1, (await StatsOf(node)).KeysInMemory);

        keyspace.Tell(new UnwatchKeys(new CacheRequest(++_correlation, 0, [Bytes("UNWATCH"), Bytes("k")])), TestActor);
        Assert.Equal("OK", Text((await ExpectMsgAsync<CacheReply>()).Reply));
        await node.FlushCacheAsync();
        Assert.Equal(0, (await StatsOf(node)).KeysInMemory);
        Assert.Equal("v", await client.GetAsync("k"));
    }

    [Fact]
    public async Task Watching_a_key_on_disk_loads_it_and_a_later_change_still_aborts()
    {
        var (node, client) = await StartNodeAsync();
        var keyspace = await KeyspaceOf(node);
        await client.SetAsync("k", "on disk");
        await node.FlushCacheAsync();
        var version = await WatchAsync(keyspace, "k");

        await client.SetAsync("k", "changed");
        await node.FlushCacheAsync();
        var reply = await RunAsync(keyspace, new ExecTransaction(Transaction([["GET", "k"]]), [new KeyVersion(Bytes("k"), version)]));

        Assert.Equal(RedisReply.NilArray, reply);
    }

    private async Task<long> WatchAsync(Akka.Actor.IActorRef keyspace, string key)
    {
        keyspace.Tell(new WatchKeys(new CacheRequest(++_correlation, 0, [Bytes("WATCH"), Bytes(key)])), TestActor);
        var reply = (ArrayReply)(await ExpectMsgAsync<CacheReply>()).Reply;
        return ((IntegerReply)reply.Items![0]).Value;
    }
}
