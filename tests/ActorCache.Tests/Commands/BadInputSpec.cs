using System.Text;
using ActorCache.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Commands;

/// <summary>
/// Bad input costs one Redis-style error reply: the node keeps serving, the data it held is intact, and nothing
/// half-done is left behind.
/// </summary>
public sealed class BadInputSpec(ITestOutputHelper output) : CommandNodeSpec(output)
{
    private static readonly RedisReply TooLarge = RedisReply.Error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");

    // Arity

    [Theory]
    [InlineData("get")]
    [InlineData("get", "a", "b")]
    [InlineData("set", "k")]
    [InlineData("setnx", "k")]
    [InlineData("setex", "k", "10")]
    [InlineData("psetex", "k", "10", "v", "x")]
    [InlineData("getset", "k")]
    [InlineData("getdel")]
    [InlineData("getex")]
    [InlineData("mget")]
    [InlineData("mset", "k")]
    [InlineData("msetnx", "k")]
    [InlineData("append", "k")]
    [InlineData("strlen")]
    [InlineData("getrange", "k", "0")]
    [InlineData("setrange", "k", "0")]
    [InlineData("incr")]
    [InlineData("decr", "a", "b")]
    [InlineData("incrby", "k")]
    [InlineData("decrby", "k")]
    [InlineData("incrbyfloat", "k")]
    [InlineData("del")]
    [InlineData("unlink")]
    [InlineData("exists")]
    [InlineData("touch")]
    [InlineData("type")]
    [InlineData("expire", "k")]
    [InlineData("pexpire", "k")]
    [InlineData("expireat", "k")]
    [InlineData("pexpireat", "k")]
    [InlineData("ttl")]
    [InlineData("pttl", "a", "b")]
    [InlineData("expiretime")]
    [InlineData("pexpiretime", "a", "b")]
    [InlineData("persist")]
    [InlineData("rename", "k")]
    [InlineData("renamenx", "k", "a", "b")]
    [InlineData("keys")]
    [InlineData("keys", "a", "b")]
    [InlineData("scan")]
    [InlineData("dbsize", "x")]
    [InlineData("randomkey", "x")]
    public async Task A_command_with_the_wrong_number_of_arguments_is_an_arity_error(string name, params string[] arguments)
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");

        // The name is matched ignoring case and reported in lower case.
        await Expect(client, WrongArity(name), [name.ToUpperInvariant(), .. arguments]);

        await Expect(client, Bulk("v"), "GET", "k");
    }

    [Fact]
    public async Task Command_names_are_case_insensitive()
    {
        var client = await StartAsync();

        await Expect(client, Ok, "sEt", "k", "v");
        await Expect(client, Bulk("v"), "get", "k");
        await Expect(client, Int(1), "ExIsTs", "k");
    }

    // Unknown commands

    [Fact]
    public async Task An_unknown_command_is_reported_with_its_first_arguments()
    {
        var client = await StartAsync();

        await Expect(client, Error("ERR unknown command 'foo', with args beginning with: 'a' 'b' "), "foo", "a", "b");
        await Expect(client, Error("ERR unknown command 'FOO', with args beginning with: "), "FOO");
    }

    [Fact]
    public async Task The_arguments_of_an_unknown_command_are_cut_at_128_characters()
    {
        var client = await StartAsync();
        string x = new('x', 100), y = new('y', 100);

        var reply = await client.ExecuteAsync("foo", x, y, "z");

        Assert.Equal(Error($"ERR unknown command 'foo', with args beginning with: '{x}' '{new string('y', 25)}' "), reply);
    }

    [Fact]
    public async Task An_unknown_command_error_never_carries_a_line_break()
    {
        var client = await StartAsync();

        await Expect(client, Error("ERR unknown command 'fo  o', with args beginning with: 'a b' "), "fo\r\no", "a\nb");
    }

    [Fact]
    public async Task An_empty_command_is_an_error()
    {
        var client = await StartAsync();

        var reply = await client.ExecuteAsync(System.Array.Empty<byte[]>());

        Assert.StartsWith("ERR", Assert.IsType<ErrorReply>(reply).Message);
        await Expect(client, Ok, "SET", "k", "v");
    }

    // Numbers and times

    [Theory]
    [InlineData("INCRBY", "n", "x")]
    [InlineData("DECRBY", "n", "1e3")]
    [InlineData("GETRANGE", "s", "0", "")]
    [InlineData("SETRANGE", "s", "0x1", "v")]
    [InlineData("EXPIRE", "s", "10s")]
    [InlineData("PEXPIREAT", "s", "-")]
    [InlineData("SETEX", "s", "1.0", "v")]
    [InlineData("SET", "s", "v", "PX", "12 ")]
    [InlineData("SCAN", "0", "COUNT", "ten")]
    public async Task An_argument_that_must_be_an_integer_and_is_not_is_an_error(params string[] command)
    {
        var client = await StartAsync();
        await client.ExecuteAsync("MSET", "n", "5", "s", "text");

        await Expect(client, NotAnInteger, command);

        await Expect(client, Array("5", "text"), "MGET", "n", "s");
        await Expect(client, Int(-1), "TTL", "s");
    }

    [Fact]
    public async Task A_stored_value_with_a_zero_byte_is_neither_an_integer_nor_a_float()
    {
        var client = await StartAsync();
        await client.ExecuteAsync(Bytes("SET"), Bytes("n"), [(byte)'1', 0, (byte)'2']);

        await Expect(client, NotAnInteger, "INCR", "n");
        await Expect(client, NotAFloat, "INCRBYFLOAT", "n", "1");
        await Expect(client, NotAFloat, "INCRBYFLOAT", "missing", "1\u00002");

        Assert.Equal(Bulk([(byte)'1', 0, (byte)'2']), await client.ExecuteAsync("GET", "n"));
    }

    [Fact]
    public async Task Errors_of_every_kind_leave_the_node_serving_and_the_data_intact()
    {
        Store.Seed("on-disk", "kept");
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "counter", "9223372036854775807");
        await client.ExecuteAsync("SET", "ttl", "v", "EX", "100");

        foreach (var bad in (string[][])
        [
            ["NOSUCHCOMMAND", "on-disk"],
            ["GET"],
            ["SET", "on-disk", "x", "EX", "0"],
            ["SET", "on-disk", "x", "NX", "XX"],
            ["INCR", "counter"],
            ["INCRBY", "on-disk", "one"],
            ["INCRBYFLOAT", "on-disk", "1"],
            ["EXPIRE", "ttl", "9223372036854775807"],
            ["EXPIRE", "ttl", "10", "SOON"],
            ["MSET", "on-disk", "x", "counter"],
            ["SETRANGE", "on-disk", "-1", "x"],
            ["RENAME", "missing", "on-disk"],
            ["SCAN", "nope"],
            ["FLUSHDB", "NOW"],
        ])
        {
            Assert.IsType<ErrorReply>(await client.ExecuteAsync(bad));
        }

        await Expect(client, Array("kept", "9223372036854775807", "v"), "MGET", "on-disk", "counter", "ttl");
        await Expect(client, Int(100), "TTL", "ttl");
        await Expect(client, Int(3), "DBSIZE");
        await Expect(client, Ok, "SET", "after", "errors");
        await client.FlushToDiskAsync();
        Assert.Equal("errors", Store.StoredString("after"));
        Assert.Equal("kept", Store.StoredString("on-disk"));
    }

    // Value size

    [Fact]
    public async Task A_value_of_exactly_the_maximum_size_is_accepted()
    {
        var client = await StartAsync(Settings(s => s with { MaxValueSize = 10 }));

        await Expect(client, Ok, "SET", "k", "0123456789");
        await Expect(client, Int(10), "APPEND", "a", "0123456789");
        await Expect(client, Int(10), "SETRANGE", "r", "5", "01234");
    }

    [Theory]
    [InlineData("SET", "k", "01234567890")]
    [InlineData("SET", "k", "01234567890", "GET")]
    [InlineData("SETNX", "new", "01234567890")]
    [InlineData("SETEX", "k", "10", "01234567890")]
    [InlineData("PSETEX", "k", "10", "01234567890")]
    [InlineData("GETSET", "k", "01234567890")]
    [InlineData("MSET", "new", "1", "k", "01234567890")]
    [InlineData("MSETNX", "new", "1", "other", "01234567890")]
    [InlineData("APPEND", "k", "123456")]
    [InlineData("SETRANGE", "k", "6", "12345")]
    [InlineData("SETRANGE", "new", "10", "x")]
    public async Task A_value_over_the_maximum_size_is_refused_and_nothing_is_written(params string[] command)
    {
        var client = await StartAsync(Settings(s => s with { MaxValueSize = 10 }));
        await client.ExecuteAsync("SET", "k", "small");

        await Expect(client, TooLarge, command);

        await Expect(client, Array("small", null, null), "MGET", "k", "new", "other");
        await Expect(client, Int(-1), "TTL", "k");
    }

    // Databases

    [Theory]
    [InlineData(99)]
    [InlineData(-1)]
    public async Task A_database_out_of_range_is_an_error_and_the_others_keep_serving(int database)
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");
        var outside = client.WithDatabase(database);

        await Expect(outside, Error("ERR DB index is out of range"), "GET", "k");
        await Expect(outside, Error("ERR DB index is out of range"), "SET", "k", "x");
        await Expect(outside, Error("ERR DB index is out of range"), "FLUSHALL");
        await Expect(outside, Error("ERR DB index is out of range"), "NOSUCHCOMMAND");

        await Expect(client, Bulk("v"), "GET", "k");
    }

    [Fact]
    public async Task Databases_hold_separate_keys()
    {
        var client = await StartAsync();
        var one = client.WithDatabase(1);

        await client.ExecuteAsync("SET", "k", "zero");
        await one.ExecuteAsync("SET", "k", "one");
        await one.ExecuteAsync("SET", "only-in-one", "v");

        await Expect(client, Bulk("zero"), "GET", "k");
        await Expect(one, Bulk("one"), "GET", "k");
        await Expect(client, Int(1), "DBSIZE");
        await Expect(one, Int(2), "DBSIZE");
    }

    // Binary safety

    private static readonly byte[] ZeroKey = [(byte)'a', 0, (byte)'b'];
    private static readonly byte[] OtherZeroKey = [(byte)'a', 0, (byte)'c'];
    private static readonly byte[] InvalidUtf8Key = [0xFF, 0xFE, 0xC3, 0x28];
    private static readonly byte[] BinaryValue = [0, 0xFF, (byte)'\r', (byte)'\n', 0xC0, 0x80, 0];

    [Fact]
    public async Task Keys_and_values_with_zero_bytes_and_invalid_utf8_round_trip()
    {
        var client = await StartAsync();

        await client.ExecuteAsync(Bytes("SET"), ZeroKey, BinaryValue);
        await client.ExecuteAsync(Bytes("SET"), InvalidUtf8Key, ZeroKey);

        Assert.Equal(BinaryValue, await client.GetAsync(ZeroKey));
        Assert.Equal(ZeroKey, await client.GetAsync(InvalidUtf8Key));
        Assert.Null(await client.GetAsync(OtherZeroKey));
        Assert.Null(await client.GetAsync("a"));
        Assert.Equal(Int(BinaryValue.Length), await client.ExecuteAsync(Bytes("STRLEN"), ZeroKey));
        Assert.Equal(Int(1), await client.ExecuteAsync(Bytes("EXISTS"), ZeroKey, OtherZeroKey));
    }

    [Fact]
    public async Task Binary_keys_come_back_byte_for_byte_from_keys_and_scan()
    {
        Store.Write(0, [new ActorCache.Storage.StoreWrite([0xFE, 0, 0xFF], ActorCache.Storage.RecordCodec.Encode(
            new ActorCache.Storage.StoredRecord(ActorCache.Storage.ValueKind.String, 0, BinaryValue)))]);
        var client = await StartAsync();
        await client.ExecuteAsync(Bytes("SET"), ZeroKey, BinaryValue);
        await client.ExecuteAsync(Bytes("SET"), InvalidUtf8Key, BinaryValue);
        byte[][] expected = [[0xFE, 0, 0xFF], ZeroKey, InvalidUtf8Key];

        var keys = Assert.IsType<ArrayReply>(await client.ExecuteAsync("KEYS", "*")).Items!
            .Select(i => ((BulkStringReply)i).Value!).ToArray();
        var scanned = await ScanAllAsync(client, "COUNT", "1");

        Assert.Equal(Sorted(expected), Sorted(keys));
        Assert.Equal(Sorted(expected), Sorted(scanned));
        Assert.Equal([ZeroKey], Assert.IsType<ArrayReply>(await client.ExecuteAsync(Bytes("KEYS"), [(byte)'a', 0, (byte)'?'])).Items!
            .Select(i => ((BulkStringReply)i).Value!).ToArray());
    }

    [Fact]
    public async Task Binary_keys_and_values_survive_rename_append_and_a_restart()
    {
        var (node, client) = await StartNodeAsync();
        await client.ExecuteAsync(Bytes("SET"), ZeroKey, BinaryValue);

        Assert.Equal(Ok, await client.ExecuteAsync(Bytes("RENAME"), ZeroKey, InvalidUtf8Key));
        Assert.Equal(Int(BinaryValue.Length + 2), await client.ExecuteAsync(Bytes("APPEND"), InvalidUtf8Key, [0, 0xFF]));
        await client.FlushToDiskAsync();
        await node.StopAsync();

        var (_, restarted) = await StartNodeAsync();
        Assert.Null(await restarted.GetAsync(ZeroKey));
        Assert.Equal([.. BinaryValue, 0, 0xFF], await restarted.GetAsync(InvalidUtf8Key));
    }

    private static string[] Sorted(IEnumerable<byte[]> keys) => keys.Select(Convert.ToHexString).Order(StringComparer.Ordinal).ToArray();
}
