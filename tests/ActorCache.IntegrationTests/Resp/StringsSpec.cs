using System.Text;
using StackExchange.Redis;
using Xunit;

namespace ActorCache.IntegrationTests.Resp;

/// <summary>String commands through the real StackExchange.Redis client.</summary>
public sealed class StringsSpec : RespSpec
{
    [Fact]
    public async Task Strings_set_and_read_back_through_StackExchange_Redis()
    {
        var db = await DatabaseAsync();

        Assert.True(await db.StringSetAsync("greeting", "hello"));
        Assert.Equal("hello", (string?)await db.StringGetAsync("greeting"));
        Assert.True((await db.StringGetAsync("missing")).IsNull);

        Assert.False(await db.StringSetAsync("greeting", "ignored", when: When.NotExists));
        Assert.True(await db.StringSetAsync("fresh", "new", when: When.NotExists));
        Assert.False(await db.StringSetAsync("absent", "ignored", when: When.Exists));
        Assert.True(await db.StringSetAsync("greeting", "hi", when: When.Exists));
        Assert.False(await db.KeyExistsAsync("absent"));

        Assert.Equal("hi", (string?)await db.StringGetSetAsync("greeting", "hey"));
        Assert.Equal("hey", (string?)await db.StringSetAndGetAsync("greeting", "yo"));
        Assert.Equal("yo", (string?)await db.StringGetDeleteAsync("greeting"));
        Assert.False(await db.KeyExistsAsync("greeting"));

        Assert.Equal(RedisType.String, await db.KeyTypeAsync("fresh"));
        Assert.Equal(RedisType.None, await db.KeyTypeAsync("greeting"));
        Assert.Equal(1, await db.KeyExistsAsync(["fresh", "greeting", "nope"]));
        Assert.True(await db.KeyRenameAsync("fresh", "renamed"));
        Assert.Equal("new", (string?)await db.StringGetAsync("renamed"));
        Assert.True(await db.KeyDeleteAsync("renamed"));
        Assert.False(await db.KeyDeleteAsync("renamed"));
    }

    [Fact]
    public async Task Counters_count_and_a_non_number_is_an_error()
    {
        var db = await DatabaseAsync();

        Assert.Equal(1, await db.StringIncrementAsync("counter"));
        Assert.Equal(11, await db.StringIncrementAsync("counter", 10));
        Assert.Equal(10, await db.StringDecrementAsync("counter"));
        Assert.Equal(3, await db.StringDecrementAsync("counter", 7));
        Assert.Equal("3", (string?)await db.StringGetAsync("counter"));

        Assert.Equal(3.5, await db.StringIncrementAsync("counter", 0.5), 10);
        Assert.Equal(3.6, await db.StringIncrementAsync("counter", 0.1), 10);
        Assert.Equal(10.5, await db.StringIncrementAsync("float", 10.5), 10);

        await db.StringSetAsync("text", "not a number");
        var error = await Assert.ThrowsAsync<RedisServerException>(() => db.StringIncrementAsync("text"));
        Assert.Equal("ERR value is not an integer or out of range", error.Message);
        await db.StringSetAsync("max", long.MaxValue);
        error = await Assert.ThrowsAsync<RedisServerException>(() => db.StringIncrementAsync("max"));
        Assert.Contains("overflow", error.Message);
    }

    [Fact]
    public async Task Append_strlen_getrange_and_setrange_edit_a_value_in_place()
    {
        var db = await DatabaseAsync();

        Assert.Equal(5, await db.StringAppendAsync("text", "Hello"));
        Assert.Equal(11, await db.StringAppendAsync("text", " World"));
        Assert.Equal(11, await db.StringLengthAsync("text"));
        Assert.Equal(0, await db.StringLengthAsync("missing"));

        Assert.Equal("Hello", (string?)await db.StringGetRangeAsync("text", 0, 4));
        Assert.Equal("World", (string?)await db.StringGetRangeAsync("text", -5, -1));
        Assert.Equal("", (string?)await db.StringGetRangeAsync("text", 20, 30));

        Assert.Equal(11, (long)await db.StringSetRangeAsync("text", 6, "Redis"));
        Assert.Equal("Hello Redis", (string?)await db.StringGetAsync("text"));
        // SETRANGE past the end pads with zero bytes.
        Assert.Equal(8, (long)await db.StringSetRangeAsync("padded", 5, "abc"));
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, (byte)'a', (byte)'b', (byte)'c' }, (byte[]?)await db.StringGetAsync("padded"));
    }

    [Fact]
    public async Task Mset_and_mget_move_many_keys_at_once()
    {
        var db = await DatabaseAsync();
        var pairs = Enumerable.Range(0, 50).Select(i => new KeyValuePair<RedisKey, RedisValue>($"k{i}", $"v{i}")).ToArray();

        Assert.True(await db.StringSetAsync(pairs));
        var values = await db.StringGetAsync(pairs.Select(p => p.Key).Append("missing").ToArray());

        Assert.Equal(pairs.Select(p => (string?)p.Value).Append(null), values.Select(v => (string?)v));

        // MSETNX sets none when any exists.
        Assert.False(await db.StringSetAsync([new("k0", "x"), new("brand-new", "x")], When.NotExists));
        Assert.False(await db.KeyExistsAsync("brand-new"));
        Assert.True(await db.StringSetAsync([new("new-1", "a"), new("new-2", "b")], When.NotExists));
        Assert.Equal("b", (string?)await db.StringGetAsync("new-2"));
    }

    [Fact]
    public async Task Values_and_keys_are_binary_safe_up_to_a_megabyte()
    {
        var db = await DatabaseAsync();
        var everyByte = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var megabyte = new byte[1 << 20];
        new Random(42).NextBytes(megabyte);
        byte[] binaryKey = [0, 13, 10, 255, (byte)'*', (byte)'$'];

        await db.StringSetAsync("every-byte", everyByte);
        await db.StringSetAsync("megabyte", megabyte);
        await db.StringSetAsync(binaryKey, "\r\n$3\r\nnot a command\r\n");
        await db.StringSetAsync("utf8", "κλειδί ✓ 🗝️");

        Assert.Equal(everyByte, (byte[]?)await db.StringGetAsync("every-byte"));
        Assert.Equal(megabyte, (byte[]?)await db.StringGetAsync("megabyte"));
        Assert.Equal(1 << 20, await db.StringLengthAsync("megabyte"));
        Assert.Equal("\r\n$3\r\nnot a command\r\n", (string?)await db.StringGetAsync(binaryKey));
        Assert.Equal("κλειδί ✓ 🗝️", (string?)await db.StringGetAsync("utf8"));
        Assert.Equal(megabyte.AsSpan(1000, 24).ToArray(), (byte[]?)await db.StringGetRangeAsync("megabyte", 1000, 1023));
        Assert.Equal(Encoding.UTF8.GetByteCount("κλειδί ✓ 🗝️"), await db.StringLengthAsync("utf8"));
    }
}
