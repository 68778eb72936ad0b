using ActorCache.Protocol;
using ActorCache.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Model;

/// <summary>
/// The shrunk failures of <see cref="ModelBasedSpec"/>, made deterministic: the store's reads are held while a
/// pipeline is sent, so every request that needs a load parks before any load completes. Each expected reply is
/// Redis's (a pipeline runs in send order).
/// </summary>
public sealed class ModelFindingsSpec(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact]
    public async Task A_key_still_exists_at_its_exact_expiry_time()
    {
        var (_, client) = await StartNodeAsync();
        await client.ExecuteAsync("SET", "k", "v", "PX", "1000");
        Clock.Advance(TimeSpan.FromMilliseconds(1000));

        // Redis keyIsExpired: expired once now > when, so at now == when the key is there with a TTL of 0.
        Assert.Equal(RedisReply.Integer(0), await client.ExecuteAsync("PTTL", "k"));
        Assert.Equal(RedisReply.Bulk("v"), await client.ExecuteAsync("GET", "k"));
        Assert.Equal(RedisReply.Integer(1), await client.ExecuteAsync("DBSIZE"));
    }

    [Fact]
    public async Task A_key_loaded_at_its_exact_expiry_time_still_exists()
    {
        Store.Seed("k", "v", expireAtMs: Clock.UnixTimeMs);
        var (_, client) = await StartNodeAsync();

        Assert.Equal(RedisReply.Integer(1), await client.ExecuteAsync("DBSIZE"));
        Assert.Equal(RedisReply.Bulk("v"), await client.ExecuteAsync("GET", "k"));
    }

    [Fact]
    public async Task Pipelined_del_of_two_keys_then_incr_of_one_runs_in_send_order()
    {
        var (_, client) = await StartNodeAsync();
        Store.HoldReads();

        var del = client.ExecuteAsync("DEL", "a", "b");
        var incr = client.ExecuteAsync("INCR", "b");
        Store.ReleaseReads();

        Assert.Equal(RedisReply.Integer(0), await del);
        Assert.Equal(RedisReply.Integer(1), await incr);
        Assert.Equal(RedisReply.Bulk("1"), await client.ExecuteAsync("GET", "b"));
    }

    [Fact]
    public async Task Pipelined_mget_of_two_keys_then_set_of_one_runs_in_send_order()
    {
        var (_, client) = await StartNodeAsync();
        Store.HoldReads();

        var mget = client.ExecuteAsync("MGET", "a", "b");
        var set = client.ExecuteAsync("SET", "a", "new");
        Store.ReleaseReads();

        Assert.Equal(new ArrayReply([RedisReply.Nil, RedisReply.Nil]), await mget);
        Assert.Equal(RedisReply.Ok, await set);
    }

    [Fact]
    public async Task A_write_pipelined_before_flushdb_does_not_survive_it()
    {
        var (_, client) = await StartNodeAsync();
        Store.HoldReads();

        // INCR reads the key, so it parks behind the load (a plain SET is a blind write and would not).
        var incr = client.ExecuteAsync("INCR", "k");
        var flush = client.ExecuteAsync("FLUSHDB");
        var get = client.ExecuteAsync("GET", "k");
        Store.ReleaseReads();

        Assert.Equal(RedisReply.Integer(1), await incr);
        Assert.Equal(RedisReply.Ok, await flush);
        Assert.Equal(RedisReply.Nil, await get);
        Assert.Equal(RedisReply.Integer(0), await client.ExecuteAsync("DBSIZE"));
    }

    [Fact]
    public async Task A_read_pipelined_before_flushdb_sees_the_value_on_disk()
    {
        Store.Seed("k", "on disk");
        var (_, client) = await StartNodeAsync();
        Store.HoldReads();

        var get = client.ExecuteAsync("GET", "k");
        var flush = client.ExecuteAsync("FLUSHDB");
        Store.ReleaseReads();

        Assert.Equal(RedisReply.Bulk("on disk"), await get);
        Assert.Equal(RedisReply.Ok, await flush);
    }

    [Fact]
    public async Task Dbsize_pipelined_before_a_delete_counts_the_key()
    {
        var (_, client) = await StartNodeAsync();
        await client.ExecuteAsync("SET", "k", "v");
        Store.HoldReads();

        var size = client.ExecuteAsync("DBSIZE");
        var keys = client.ExecuteAsync("KEYS", "*");
        var del = client.ExecuteAsync("DEL", "k");
        Store.ReleaseReads();

        Assert.Equal(RedisReply.Integer(1), await size);
        Assert.Equal(new ArrayReply([RedisReply.Bulk("k")]), await keys);
        Assert.Equal(RedisReply.Integer(1), await del);
    }
}
