using System.Text;
using ActorCache.Client;
using ActorCache.Protocol;
using ActorCache.Settings;
using ActorCache.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Commands;

/// <summary>
/// Base of the command specs: a node on the fake store, and short ways to write the replies Redis 7.0 gives, so a
/// scenario reads like a redis-cli session. Expiry is mostly checked one millisecond either side of the deadline; at
/// the deadline itself the key is still there, as in Redis (pinned once, in the key commands spec).
/// </summary>
public abstract class CommandNodeSpec(ITestOutputHelper output) : NodeSpec(output)
{
    protected static RedisReply Ok => RedisReply.Ok;

    protected static RedisReply Nil => RedisReply.Nil;

    protected static RedisReply Bulk(string value) => RedisReply.Bulk(value);

    protected static RedisReply Bulk(byte[] value) => RedisReply.Bulk(value);

    protected static RedisReply Int(long value) => RedisReply.Integer(value);

    protected static RedisReply Error(string message) => RedisReply.Error(message);

    protected static RedisReply Array(params string?[] items) =>
        new ArrayReply(items.Select(i => i is null ? RedisReply.Nil : RedisReply.Bulk(i)).ToArray());

    protected static readonly RedisReply SyntaxError = RedisReply.Error("ERR syntax error");

    protected static readonly RedisReply NotAnInteger = RedisReply.Error("ERR value is not an integer or out of range");

    protected static readonly RedisReply NotAFloat = RedisReply.Error("ERR value is not a valid float");

    protected static RedisReply WrongArity(string command) => RedisReply.Error($"ERR wrong number of arguments for '{command}' command");

    protected static RedisReply InvalidExpireTime(string command) => RedisReply.Error($"ERR invalid expire time in '{command}' command");

    /// <summary>Starts a node (with <paramref name="settings"/> if given) and returns its client.</summary>
    protected async Task<ICacheClient> StartAsync(CacheSettings? settings = null) => (await StartNodeAsync(settings)).Client;

    /// <summary>
    /// Starts a node whose writes stay dirty in memory (the flush delay is an hour) until a barrier: the disk keeps
    /// its old contents while the spec looks at the union of both.
    /// </summary>
    protected Task<ICacheClient> StartWithSavesDelayedAsync() => StartAsync(Settings(s => s with { CacheFlushDelay = TimeSpan.FromHours(1) }));

    /// <summary>Runs one command and checks its reply.</summary>
    protected static async Task Expect(ICacheClient client, RedisReply expected, params string[] command) =>
        Assert.Equal(expected, await client.ExecuteAsync(command));

    /// <summary>The keys of a KEYS reply, or of the second element of a SCAN reply, as sorted strings.</summary>
    protected static IReadOnlyList<string> KeysIn(RedisReply reply)
    {
        var array = Assert.IsType<ArrayReply>(reply);
        if (array.Items is [BulkStringReply, ArrayReply page]) array = page;
        return array.Items!.Select(i => Encoding.UTF8.GetString(Assert.IsType<BulkStringReply>(i).Value!)).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Every key a full SCAN iteration returns (duplicates kept), cursor 0 to cursor 0.</summary>
    protected static async Task<IReadOnlyList<byte[]>> ScanAllAsync(ICacheClient client, params string[] options)
    {
        var keys = new List<byte[]>();
        var cursor = "0";
        var calls = 0;
        do
        {
            var reply = Assert.IsType<ArrayReply>(await client.ExecuteAsync(["SCAN", cursor, .. options]));
            Assert.Equal(2, reply.Items!.Count);
            cursor = Encoding.ASCII.GetString(Assert.IsType<BulkStringReply>(reply.Items[0]).Value!);
            keys.AddRange(Assert.IsType<ArrayReply>(reply.Items[1]).Items!.Select(i => Assert.IsType<BulkStringReply>(i).Value!));
            Assert.True(++calls < 10_000, "SCAN never returned cursor 0");
        }
        while (cursor != "0");

        return keys;
    }

    protected static IReadOnlyList<string> Texts(IEnumerable<byte[]> keys) =>
        keys.Select(k => Encoding.UTF8.GetString(k)).Order(StringComparer.Ordinal).ToArray();
}
