using StackExchange.Redis;
using Xunit;

namespace ActorCache.IntegrationTests.Resp;

/// <summary>Many commands in flight on one connection: every reply is the right one, in request order.</summary>
public sealed class PipeliningSpec : RespSpec
{
    private const int Count = 10_000;

    [Fact]
    public async Task Ten_thousand_incrs_sent_without_waiting_come_back_in_order()
    {
        var db = await DatabaseAsync();

        var increments = new Task<long>[Count];
        for (var i = 0; i < Count; i++) increments[i] = db.StringIncrementAsync("counter");
        var results = await Task.WhenAll(increments);

        Assert.Equal(Enumerable.Range(1, Count).Select(i => (long)i), results);
        Assert.Equal(Count, (long)await db.StringGetAsync("counter"));
    }

    [Fact]
    public async Task A_batch_of_ten_thousand_sets_and_gets_answers_each_one()
    {
        var db = await DatabaseAsync();

        var batch = db.CreateBatch();
        var sets = new Task<bool>[Count];
        var gets = new Task<RedisValue>[Count];
        var appends = new Task<long>[Count];
        for (var i = 0; i < Count; i++)
        {
            sets[i] = batch.StringSetAsync($"key:{i}", $"value:{i}");
            appends[i] = batch.StringAppendAsync($"key:{i}", "!");
            gets[i] = batch.StringGetAsync($"key:{i}");
        }

        batch.Execute();
        var setReplies = await Task.WhenAll(sets);
        var appendReplies = await Task.WhenAll(appends);
        var getReplies = await Task.WhenAll(gets);

        for (var i = 0; i < Count; i++)
        {
            Assert.True(setReplies[i]);
            Assert.Equal($"value:{i}".Length + 1, appendReplies[i]);
            Assert.Equal($"value:{i}!", (string?)getReplies[i]);
        }

        Assert.Equal(Count, await (await ConnectAsync()).GetServer(Node.Server.EndPoint).DatabaseSizeAsync());
    }

    [Fact]
    public async Task Pipelined_sets_and_incrs_on_one_key_interleave_in_request_order()
    {
        var db = await DatabaseAsync();

        // Every tenth command resets the counter, so each INCR's reply depends on where it sits in the pipeline.
        var replies = new List<(int Index, Task<long> Reply)>();
        var resets = new List<Task<bool>>();
        for (var i = 0; i < Count; i++)
        {
            if (i % 10 == 0) resets.Add(db.StringSetAsync("mixed", 100));
            else replies.Add((i, db.StringIncrementAsync("mixed")));
        }

        Assert.All(await Task.WhenAll(resets), Assert.True);
        var counts = await Task.WhenAll(replies.Select(r => r.Reply));
        Assert.Equal(replies.Select(r => 100L + r.Index % 10), counts);
    }
}
