using System.Globalization;
using System.Text;
using ActorCache.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Commands;

/// <summary>
/// KEYS, SCAN, DBSIZE, RANDOMKEY, FLUSHDB and FLUSHALL see the union of memory and disk: keys only on disk, dirty keys
/// not saved yet, never a deleted or expired key, never a key twice.
/// </summary>
public sealed class DatabaseCommandsSpec(ITestOutputHelper output) : CommandNodeSpec(output)
{
    private static string Key(int i) => "key:" + i.ToString("D3", CultureInfo.InvariantCulture);

    // KEYS and DBSIZE

    [Fact]
    public async Task Keys_lists_keys_in_memory_and_keys_only_on_disk()
    {
        Store.Seed("user:1", "on disk");
        Store.Seed("order:1", "on disk");
        var client = await StartAsync();
        await client.ExecuteAsync("MSET", "user:2", "in memory", "order:2", "in memory");

        Assert.Equal(["order:1", "order:2", "user:1", "user:2"], KeysIn(await client.ExecuteAsync("KEYS", "*")));
        Assert.Equal(["user:1", "user:2"], KeysIn(await client.ExecuteAsync("KEYS", "user:*")));
        Assert.Equal(["order:2", "user:2"], KeysIn(await client.ExecuteAsync("KEYS", "*:2")));
        Assert.Empty(KeysIn(await client.ExecuteAsync("KEYS", "nothing*")));
    }

    [Fact]
    public async Task Keys_and_dbsize_count_a_key_in_memory_and_on_disk_once()
    {
        Store.Seed("k", "old");
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "new");

        Assert.Equal(["k"], KeysIn(await client.ExecuteAsync("KEYS", "*")));
        await Expect(client, Int(1), "DBSIZE");
    }

    [Fact]
    public async Task Keys_and_dbsize_leave_out_deleted_keys_whose_delete_is_not_on_disk_yet()
    {
        Store.Seed("gone", "v");
        Store.Seed("kept", "v");
        var client = await StartWithSavesDelayedAsync();

        await Expect(client, Int(1), "DEL", "gone");

        Assert.Equal(["kept"], KeysIn(await client.ExecuteAsync("KEYS", "*")));
        await Expect(client, Int(1), "DBSIZE");
        Assert.Empty(await ScanAllAsync(client, "MATCH", "gone"));
        Assert.Equal("v", Store.StoredString("gone"));
    }

    [Fact]
    public async Task Keys_leaves_out_expired_keys_in_memory_and_on_disk()
    {
        Store.Seed("disk-expired", "v", expireAtMs: Clock.UnixTimeMs - 1);
        Store.Seed("disk-live", "v", expireAtMs: Clock.UnixTimeMs + 60_000);
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "memory-expiring", "v", "PX", "100");
        await client.ExecuteAsync("SET", "memory-live", "v");
        Clock.Advance(TimeSpan.FromMilliseconds(101));

        Assert.Equal(["disk-live", "memory-live"], KeysIn(await client.ExecuteAsync("KEYS", "*")));
        Assert.Equal(["disk-live", "memory-live"], Texts(await ScanAllAsync(client)));
    }

    [Fact]
    public async Task Dbsize_counts_dirty_keys_and_keys_only_on_disk()
    {
        Store.Seed("a", "1");
        Store.Seed("b", "2");
        var client = await StartWithSavesDelayedAsync();
        await client.ExecuteAsync("MSET", "c", "3", "d", "4");

        await Expect(client, Int(4), "DBSIZE");
        await client.ExecuteAsync("DEL", "a", "c");
        await Expect(client, Int(2), "DBSIZE");
    }

    [Fact]
    public async Task Dbsize_of_an_empty_database_is_zero()
    {
        var client = await StartAsync();

        await Expect(client, Int(0), "DBSIZE");
        Assert.Empty(KeysIn(await client.ExecuteAsync("KEYS", "*")));
    }

    // RANDOMKEY

    [Fact]
    public async Task Randomkey_of_an_empty_database_is_nil()
    {
        var client = await StartAsync();

        await Expect(client, Nil, "RANDOMKEY");
    }

    [Fact]
    public async Task Randomkey_returns_a_live_key_from_memory_or_disk()
    {
        Store.Seed("on-disk", "v");
        Store.Seed("deleted", "v");
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "in-memory", "v");
        await client.ExecuteAsync("DEL", "deleted");

        for (var i = 0; i < 20; i++)
        {
            var key = Encoding.UTF8.GetString(Assert.IsType<BulkStringReply>(await client.ExecuteAsync("RANDOMKEY")).Value!);
            Assert.Contains(key, new[] { "on-disk", "in-memory" });
        }
    }

    // SCAN

    [Fact]
    public async Task Scan_with_a_small_count_returns_every_key_exactly_once()
    {
        for (var i = 0; i < 30; i++) Store.Seed(Key(i), "on disk");
        Store.Seed("expired-on-disk", "v", expireAtMs: Clock.UnixTimeMs - 1);
        var client = await StartWithSavesDelayedAsync();
        // Keys 25..29 are on disk and overwritten in memory; 30..44 are only in memory, dirty and not saved;
        // 0..2 are deleted with the delete not on disk yet.
        for (var i = 25; i < 45; i++) await client.ExecuteAsync("SET", Key(i), "in memory");
        await client.ExecuteAsync("DEL", Key(0), Key(1), Key(2));

        var keys = await ScanAllAsync(client, "COUNT", "3");

        var expected = Enumerable.Range(3, 42).Select(Key).ToArray();
        Assert.Equal(expected, Texts(keys));
        Assert.Empty(Store.Writes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(1000)]
    public async Task Scan_covers_keys_only_on_disk_whatever_the_count(int count)
    {
        for (var i = 0; i < 20; i++) Store.Seed(Key(i), "v");
        var client = await StartAsync();

        var keys = await ScanAllAsync(client, "COUNT", count.ToString(CultureInfo.InvariantCulture));

        Assert.Equal(Enumerable.Range(0, 20).Select(Key).ToArray(), Texts(keys));
    }

    [Fact]
    public async Task Scan_of_keys_only_in_memory_returns_each_once()
    {
        var client = await StartAsync();
        for (var i = 0; i < 25; i++) await client.ExecuteAsync("SET", Key(i), "v");

        var keys = await ScanAllAsync(client, "COUNT", "2");

        Assert.Equal(Enumerable.Range(0, 25).Select(Key).ToArray(), Texts(keys));
    }

    [Fact]
    public async Task Scan_of_an_empty_database_returns_cursor_zero_and_no_keys()
    {
        var client = await StartAsync();

        Assert.Equal(new ArrayReply([Bulk("0"), RedisReply.EmptyArray]), await client.ExecuteAsync("SCAN", "0"));
    }

    [Fact]
    public async Task Scan_match_filters_the_keys_of_every_page()
    {
        for (var i = 0; i < 10; i++) Store.Seed("user:" + i, "v");
        for (var i = 0; i < 10; i++) Store.Seed("order:" + i, "v");
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "user:new", "v");

        var keys = await ScanAllAsync(client, "MATCH", "user:*", "COUNT", "4");

        Assert.Equal(Enumerable.Range(0, 10).Select(i => "user:" + i).Append("user:new").Order(StringComparer.Ordinal).ToArray(), Texts(keys));
    }

    [Fact]
    public async Task Scan_match_star_includes_the_empty_key()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "", "empty name");
        await client.ExecuteAsync("SET", "a", "v");

        Assert.Equal(["", "a"], Texts(await ScanAllAsync(client, "MATCH", "*")));
        Assert.Equal(["", "a"], KeysIn(await client.ExecuteAsync("KEYS", "*")));
        Assert.Equal(["a"], KeysIn(await client.ExecuteAsync("KEYS", "**")));
    }

    [Fact]
    public async Task Scan_type_string_returns_the_strings_and_another_type_nothing()
    {
        Store.Seed("on-disk", "v");
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "in-memory", "v");

        Assert.Equal(["in-memory", "on-disk"], Texts(await ScanAllAsync(client, "TYPE", "string")));
        Assert.Equal(["in-memory", "on-disk"], Texts(await ScanAllAsync(client, "TYPE", "STRING", "COUNT", "1")));
        Assert.Empty(await ScanAllAsync(client, "TYPE", "list"));
        Assert.Empty(await ScanAllAsync(client, "TYPE", "nosuchtype"));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData(" 0")]
    [InlineData("0 ")]
    [InlineData("+")]
    [InlineData("-")]
    [InlineData("1.0")]
    [InlineData("18446744073709551616")]
    [InlineData("-18446744073709551616")]
    public async Task Scan_with_a_cursor_that_is_not_a_number_is_an_invalid_cursor(string cursor)
    {
        var client = await StartAsync();

        await Expect(client, Error("ERR invalid cursor"), "SCAN", cursor);
        await Expect(client, Error("ERR invalid cursor"), "SCAN", cursor, "COUNT", "0");
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("+0")]
    [InlineData("-0")]
    public async Task Scan_reads_the_cursor_as_strtoul_does(string cursor)
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");

        Assert.Equal(new ArrayReply([Bulk("0"), Array("k")]), await client.ExecuteAsync("SCAN", cursor));
    }

    [Theory]
    [InlineData("COUNT")]
    [InlineData("COUNT", "0")]
    [InlineData("COUNT", "-1")]
    [InlineData("MATCH")]
    [InlineData("TYPE")]
    [InlineData("FOO", "BAR")]
    [InlineData("COUNT", "10", "MATCH")]
    public async Task Scan_with_a_bad_option_is_a_syntax_error(params string[] options)
    {
        var client = await StartAsync();

        await Expect(client, SyntaxError, ["SCAN", "0", .. options]);
    }

    [Fact]
    public async Task Scan_count_that_is_not_an_integer_is_an_error()
    {
        var client = await StartAsync();

        await Expect(client, NotAnInteger, "SCAN", "0", "COUNT", "abc");
        await Expect(client, NotAnInteger, "SCAN", "0", "count", "1.5", "MATCH");
    }

    // FLUSHDB and FLUSHALL

    [Theory]
    [InlineData]
    [InlineData("ASYNC")]
    [InlineData("sync")]
    public async Task Flushdb_empties_memory_and_disk(params string[] options)
    {
        Store.Seed("on-disk", "v");
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "in-memory", "v");

        await Expect(client, Ok, ["FLUSHDB", .. options]);

        await Expect(client, Int(0), "DBSIZE");
        await Expect(client, Array(null, null), "MGET", "on-disk", "in-memory");
        await client.FlushToDiskAsync();
        Assert.Null(Store.StoredString("on-disk"));
        Assert.Null(Store.StoredString("in-memory"));
    }

    [Fact]
    public async Task Flushdb_leaves_other_databases_alone()
    {
        var client = await StartAsync();
        var other = client.WithDatabase(1);
        await client.ExecuteAsync("SET", "k", "zero");
        await other.ExecuteAsync("SET", "k", "one");

        await Expect(other, Ok, "FLUSHDB");

        await Expect(client, Bulk("zero"), "GET", "k");
        await Expect(other, Nil, "GET", "k");
    }

    [Fact]
    public async Task Writes_after_flushdb_are_kept()
    {
        Store.Seed("k", "old");
        var client = await StartAsync();

        await Expect(client, Ok, "FLUSHDB");
        await Expect(client, Ok, "SET", "k", "new");

        await Expect(client, Bulk("new"), "GET", "k");
        await client.FlushToDiskAsync();
        Assert.Equal("new", Store.StoredString("k"));
    }

    [Fact]
    public async Task Flushall_empties_every_database()
    {
        Store.Seed("disk", "v", database: 2);
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");
        await client.WithDatabase(1).ExecuteAsync("SET", "k", "v");

        await Expect(client, Ok, "FLUSHALL");

        await Expect(client, Int(0), "DBSIZE");
        await Expect(client.WithDatabase(1), Int(0), "DBSIZE");
        await Expect(client.WithDatabase(2), Int(0), "DBSIZE");
        await Expect(client.WithDatabase(2), Nil, "GET", "disk");
    }

    [Theory]
    [InlineData("FLUSHDB", "FOO")]
    [InlineData("FLUSHALL", "FOO")]
    [InlineData("FLUSHDB", "SYNC", "ASYNC")]
    public async Task Flush_with_a_bad_option_is_a_syntax_error_and_flushes_nothing(params string[] command)
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");

        await Expect(client, SyntaxError, command);

        await Expect(client, Bulk("v"), "GET", "k");
    }

    [Fact]
    public async Task Flushall_with_two_options_is_a_syntax_error_and_flushes_nothing()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");

        await Expect(client, SyntaxError, "FLUSHALL", "SYNC", "ASYNC");

        await Expect(client, Bulk("v"), "GET", "k");
    }
}
