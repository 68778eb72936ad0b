using ActorCache.Client;
using ActorCache.Protocol;
using ActorCache.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.ClientSpecs;

/// <summary>TransactionAsync on an embedded client: conditions, run-time errors, refused commands.</summary>
public sealed class EmbeddedTransactionSpec(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact]
    public async Task A_transaction_whose_condition_holds_runs_every_command()
    {
        var (_, cache) = await StartNodeAsync();
        await cache.SetAsync("version", "1");

        var reply = await cache.TransactionAsync(
            [["SET", "version", "2"], ["SET", "document", "text"], ["GET", "version"]],
            TransactionCondition.ValueEquals(Bytes("version"), Bytes("1")));

        Assert.Equal(new ArrayReply([RedisReply.Ok, RedisReply.Ok, RedisReply.Bulk("2")]), reply);
        Assert.Equal("text", await cache.GetAsync("document"));
    }

    [Fact]
    public async Task A_transaction_whose_condition_fails_answers_the_nil_array_and_applies_nothing()
    {
        var (_, cache) = await StartNodeAsync();
        await cache.SetAsync("version", "7");

        var reply = await cache.TransactionAsync(
            [["SET", "version", "2"], ["SET", "document", "text"]],
            TransactionCondition.ValueEquals(Bytes("version"), Bytes("1")));

        Assert.Equal(RedisReply.NilArray, reply);
        Assert.Equal("7", await cache.GetAsync("version"));
        Assert.Null(await cache.GetAsync("document"));
    }

    [Fact]
    public async Task Exists_and_not_exists_conditions_and_byte_commands()
    {
        var (_, cache) = await StartNodeAsync();
        await cache.SetAsync("present", "x");

        var applied = await cache.TransactionAsync(
            [[Bytes("SET"), Bytes("created"), [0, 1, 2]]],
            TransactionCondition.Exists(Bytes("present")), TransactionCondition.NotExists(Bytes("created")));
        var refused = await cache.TransactionAsync(
            [[Bytes("DEL"), Bytes("present")]],
            TransactionCondition.NotExists(Bytes("created")));

        Assert.Equal(new ArrayReply([RedisReply.Ok]), applied);
        Assert.Equal(new byte[] { 0, 1, 2 }, await cache.GetAsync(Bytes("created")));
        Assert.Equal(RedisReply.NilArray, refused);
        Assert.True(await cache.ExistsAsync("present"));
    }

    [Fact]
    public async Task A_runtime_error_is_one_reply_of_the_array_and_the_other_commands_still_apply()
    {
        var (_, cache) = await StartNodeAsync();
        await cache.SetAsync("text", "abc");

        var reply = await cache.TransactionAsync([["INCR", "text"], ["SET", "after", "1"]]);

        var replies = Assert.IsType<ArrayReply>(reply).Items!;
        Assert.Equal("ERR value is not an integer or out of range", Assert.IsType<ErrorReply>(replies[0]).Message);
        Assert.Equal(RedisReply.Ok, replies[1]);
        Assert.Equal("1", await cache.GetAsync("after"));
    }

    [Fact]
    public async Task An_unknown_command_refuses_the_whole_transaction_with_execabort()
    {
        var (_, cache) = await StartNodeAsync();

        var reply = await cache.TransactionAsync([["SET", "k", "v"], ["NOSUCH"]]);

        Assert.StartsWith("EXECABORT Transaction discarded because of previous errors.", Assert.IsType<ErrorReply>(reply).Message);
        Assert.Null(await cache.GetAsync("k"));
    }

    [Fact]
    public async Task A_transaction_in_a_database_the_node_does_not_have_answers_redis_error()
    {
        var (_, cache) = await StartNodeAsync();

        var reply = await cache.WithDatabase(99).TransactionAsync([["SET", "k", "v"]]);

        Assert.Equal(RedisReply.Error("ERR DB index is out of range"), reply);
    }

    [Fact]
    public async Task An_embedded_request_without_a_reply_fails_after_the_request_timeout_naming_its_command()
    {
        var (node, _) = await StartNodeAsync();
        Store.Seed("slow", "v");
        var timeout = TimeSpan.FromMilliseconds(200);
        var cache = await CacheClient.ConnectAsync(Sys, node.Entry, new CacheClientOptions { RequestTimeout = timeout, Database = 0 });
        Store.HoldReads();

        var get = await Assert.ThrowsAsync<CacheTimeoutException>(() => cache.GetAsync("slow"));
        var transaction = await Assert.ThrowsAsync<CacheTimeoutException>(() => cache.TransactionAsync([["INCR", "slow"]]));

        Assert.Equal("GET", get.Command);
        Assert.Equal(timeout, get.Timeout);
        Assert.Contains("GET", get.Message, StringComparison.Ordinal);
        Assert.Contains(timeout.ToString(), get.Message, StringComparison.Ordinal);
        Assert.Equal("EXEC", transaction.Command);
        Store.ReleaseReads();
        Assert.Equal("v", await cache.GetAsync("slow"));
    }
}
