using ActorCache.Protocol;
using ActorCache.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Keyspace;

/// <summary>Keys not in memory are loaded while the client that needs them waits and everyone else goes on.</summary>
public sealed class LoadOnDemandSpec(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact]
    public async Task Get_of_a_disk_only_key_parks_while_a_get_of_another_key_is_answered_at_once()
    {
        Store.Seed("on-disk", "from disk");
        var (_, client) = await StartNodeAsync();
        await client.SetAsync("in-memory", "hot");
        Store.HoldReads();

        var parked = client.GetAsync("on-disk");
        Assert.Equal("hot", await client.GetAsync("in-memory"));
        Assert.False(parked.IsCompleted);

        Store.ReleaseReads();
        Assert.Equal("from disk", await parked);
    }

    [Fact]
    public async Task Two_gets_of_one_key_being_loaded_cause_one_disk_read()
    {
        Store.Seed("k", "v");
        var (_, client) = await StartNodeAsync();
        Store.HoldReads();

        var first = client.GetAsync("k");
        var second = client.GetAsync("k");
        Store.ReleaseReads();

        Assert.Equal("v", await first);
        Assert.Equal("v", await second);
        Assert.Equal(1, Store.ReadsOf("k"));
    }

    [Fact]
    public async Task Repeated_gets_of_an_absent_key_cause_one_disk_read()
    {
        var (_, client) = await StartNodeAsync();

        for (var i = 0; i < 5; i++) Assert.Null(await client.GetAsync("missing"));

        Assert.Equal(1, Store.ReadsOf("missing"));
    }

    [Fact]
    public async Task A_loaded_key_is_served_from_memory_afterwards()
    {
        Store.Seed("k", "v");
        var (_, client) = await StartNodeAsync();

        Assert.Equal("v", await client.GetAsync("k"));
        Assert.Equal("v", await client.GetAsync("k"));

        Assert.Equal(1, Store.ReadsOf("k"));
    }

    [Fact]
    public async Task A_write_to_a_key_being_loaded_waits_for_the_load_and_keeps_arrival_order()
    {
        Store.Seed("counter", "10");
        var (_, client) = await StartNodeAsync();
        Store.HoldReads();

        var read = client.GetAsync("counter");
        var increment = client.IncrementAsync("counter");
        Store.ReleaseReads();

        Assert.Equal("10", await read);
        Assert.Equal(11, await increment);
    }

    [Fact]
    public async Task A_multi_key_command_loads_all_its_keys_at_once()
    {
        Store.Seed("a", "1");
        Store.Seed("b", "2");
        var (_, client) = await StartNodeAsync();

        var reply = await client.ExecuteAsync("MGET", "a", "b", "c");

        Assert.Equal(new ArrayReply([RedisReply.Bulk("1"), RedisReply.Bulk("2"), RedisReply.Nil]), reply);
        Assert.Equal(1, Store.ReadsOf("a"));
        Assert.Equal(1, Store.ReadsOf("b"));
        Assert.Equal(1, Store.ReadsOf("c"));
    }

    [Fact]
    public async Task A_failed_load_answers_with_an_error_and_the_next_get_tries_again()
    {
        Store.Seed("k", "v");
        Store.FailReadsOf("k");
        var (_, client) = await StartNodeAsync();

        var reply = await client.ExecuteAsync("GET", "k");
        Assert.StartsWith("ERR disk load failed", Text(reply));

        Store.FailReadsOf("k", fail: false);
        Assert.Equal("v", await client.GetAsync("k"));
        Assert.Equal(2, Store.ReadsOf("k"));
    }

    [Fact]
    public async Task A_corrupt_record_fails_that_key_only()
    {
        Store.Write(0, [new ActorCache.Storage.StoreWrite(Bytes("bad"), [1, 2, 3])]);
        Store.Seed("good", "fine");
        var (_, client) = await StartNodeAsync();

        Assert.StartsWith("ERR disk load failed: corrupt record", Text(await client.ExecuteAsync("GET", "bad")));
        Assert.Equal("fine", await client.GetAsync("good"));
    }

    [Fact]
    public async Task A_plain_set_of_a_key_only_on_disk_overwrites_it_without_reading_the_disk()
    {
        Store.Seed("k", "old");
        var (_, client) = await StartNodeAsync();

        await client.SetAsync("k", "new");
        await client.ExecuteAsync("MSET", "k", "newer", "other", "x");

        Assert.Equal("newer", await client.GetAsync("k"));
        Assert.Equal(0, Store.ReadsOf("k"));
        Assert.Equal(0, Store.ReadsOf("other"));
    }

    [Fact]
    public async Task A_set_that_reads_the_old_value_loads_it_first()
    {
        Store.Seed("k", "old");
        var (_, client) = await StartNodeAsync();

        Assert.Equal("old", Text(await client.ExecuteAsync("SET", "k", "new", "GET")));
        Assert.False(await client.SetAsync("k", "newer", when: ActorCache.Client.SetCondition.IfNotExists));

        Assert.Equal("new", await client.GetAsync("k"));
        Assert.Equal(1, Store.ReadsOf("k"));
    }
}
