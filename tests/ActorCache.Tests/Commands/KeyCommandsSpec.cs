using System.Globalization;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Commands;

/// <summary>The generic key commands (deletion, existence, type, expiry, renaming) answer as Redis 7.0 does.</summary>
public sealed class KeyCommandsSpec(ITestOutputHelper output) : CommandNodeSpec(output)
{
    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    // DEL, UNLINK, EXISTS, TYPE

    [Theory]
    [InlineData("DEL")]
    [InlineData("UNLINK")]
    public async Task Del_and_unlink_return_how_many_keys_they_removed(string command)
    {
        var client = await StartAsync();
        await client.ExecuteAsync("MSET", "a", "1", "b", "2", "c", "3");

        await Expect(client, Int(2), command, "a", "b", "a", "missing");

        await Expect(client, Array(null, null, "3"), "MGET", "a", "b", "c");
        await Expect(client, Int(0), command, "a");
    }

    [Fact]
    public async Task Del_of_a_key_only_on_disk_removes_it_there_too()
    {
        Store.Seed("k", "v");
        var client = await StartAsync();

        await Expect(client, Int(1), "DEL", "k");

        await Expect(client, Nil, "GET", "k");
        await client.FlushToDiskAsync();
        Assert.Null(Store.StoredString("k"));
    }

    [Fact]
    public async Task Del_of_an_expired_key_removes_nothing()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v", "PX", "100");
        Clock.Advance(TimeSpan.FromMilliseconds(101));

        await Expect(client, Int(0), "DEL", "k");
    }

    [Fact]
    public async Task Exists_counts_a_repeated_key_each_time()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "x", "1");

        await Expect(client, Int(2), "EXISTS", "x", "x", "missing");
        await Expect(client, Int(0), "EXISTS", "missing");
    }

    [Fact]
    public async Task Exists_and_type_see_keys_only_on_disk()
    {
        Store.Seed("on-disk", "v");
        var client = await StartAsync();

        await Expect(client, Int(1), "EXISTS", "on-disk");
        await Expect(client, new ActorCache.Protocol.SimpleStringReply("string"), "TYPE", "on-disk");
    }

    [Fact]
    public async Task Type_is_string_for_a_string_and_none_for_a_missing_or_expired_key()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "s", "v");
        await client.ExecuteAsync("SET", "e", "v", "PX", "1");
        Clock.Advance(TimeSpan.FromMilliseconds(2));

        await Expect(client, new ActorCache.Protocol.SimpleStringReply("string"), "TYPE", "s");
        await Expect(client, new ActorCache.Protocol.SimpleStringReply("none"), "TYPE", "missing");
        await Expect(client, new ActorCache.Protocol.SimpleStringReply("none"), "TYPE", "e");
    }

    [Fact]
    public async Task A_key_only_on_disk_with_a_past_expiry_does_not_exist()
    {
        Store.Seed("old", "v", expireAtMs: Clock.UnixTimeMs - 1);
        Store.Seed("live", "v", expireAtMs: Clock.UnixTimeMs + 5_000);
        var client = await StartAsync();

        await Expect(client, Nil, "GET", "old");
        await Expect(client, Int(0), "EXISTS", "old");
        await Expect(client, Int(5_000), "PTTL", "live");
    }

    // EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT

    [Fact]
    public async Task Expire_sets_a_ttl_after_which_the_key_is_gone()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");

        await Expect(client, Int(1), "EXPIRE", "k", "10");

        await Expect(client, Int(10), "TTL", "k");
        Clock.Advance(TimeSpan.FromMilliseconds(9_999));
        await Expect(client, Int(1), "EXISTS", "k");
        Clock.Advance(TimeSpan.FromMilliseconds(2));
        await Expect(client, Int(0), "EXISTS", "k");
        await Expect(client, Int(-2), "TTL", "k");
    }

    [Fact]
    public async Task Pexpire_expireat_and_pexpireat_set_the_same_absolute_time()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("MSET", "a", "1", "b", "2", "c", "3");
        var now = Clock.UnixTimeMs;

        await Expect(client, Int(1), "PEXPIRE", "a", "20000");
        await Expect(client, Int(1), "EXPIREAT", "b", Text(now / 1000 + 20));
        await Expect(client, Int(1), "PEXPIREAT", "c", Text(now + 20_000));

        await Expect(client, Int(20_000), "PTTL", "a");
        await Expect(client, Int(20_000), "PTTL", "b");
        await Expect(client, Int(20_000), "PTTL", "c");
    }

    [Fact]
    public async Task Expire_of_a_missing_key_is_zero()
    {
        var client = await StartAsync();

        await Expect(client, Int(0), "EXPIRE", "missing", "10");
        await Expect(client, Int(0), "PEXPIREAT", "missing", "1");

        await Expect(client, Int(0), "EXISTS", "missing");
    }

    [Theory]
    [InlineData("EXPIRE", "0")]
    [InlineData("EXPIRE", "-1")]
    [InlineData("PEXPIRE", "-1000")]
    [InlineData("EXPIREAT", "1")]
    [InlineData("PEXPIREAT", "1")]
    public async Task Expire_with_a_time_already_past_deletes_the_key_and_returns_one(string command, string time)
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");

        await Expect(client, Int(1), command, "k", time);

        await Expect(client, Int(0), "EXISTS", "k");
    }

    [Fact]
    public async Task Expire_on_a_key_only_on_disk_loads_it_and_sets_the_ttl()
    {
        Store.Seed("k", "v");
        var client = await StartAsync();

        await Expect(client, Int(1), "EXPIRE", "k", "30");

        await Expect(client, Int(30), "TTL", "k");
        await Expect(client, Bulk("v"), "GET", "k");
    }

    [Fact]
    public async Task Expire_nx_xx_gt_lt_follow_redis_and_treat_no_ttl_as_infinite()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");

        await Expect(client, Int(0), "EXPIRE", "k", "10", "XX");
        await Expect(client, Int(0), "EXPIRE", "k", "100", "GT");
        await Expect(client, Int(1), "EXPIRE", "k", "100", "NX");
        await Expect(client, Int(0), "EXPIRE", "k", "50", "NX");
        await Expect(client, Int(100), "TTL", "k");
        await Expect(client, Int(1), "EXPIRE", "k", "200", "GT");
        await Expect(client, Int(0), "EXPIRE", "k", "100", "GT");
        await Expect(client, Int(0), "EXPIRE", "k", "200", "GT");
        await Expect(client, Int(1), "EXPIRE", "k", "50", "LT");
        await Expect(client, Int(0), "EXPIRE", "k", "50", "LT");
        await Expect(client, Int(1), "EXPIRE", "k", "60", "XX");
        await Expect(client, Int(0), "EXPIRE", "k", "70", "XX", "LT");
        await Expect(client, Int(1), "EXPIRE", "k", "70", "XX", "GT");
        await Expect(client, Int(70), "TTL", "k");
        await Expect(client, Int(1), "PERSIST", "k");
        await Expect(client, Int(1), "EXPIRE", "k", "100", "LT");
        await Expect(client, Int(100), "TTL", "k");
    }

    [Fact]
    public async Task Expire_gt_with_a_past_time_on_a_key_without_ttl_keeps_it_but_lt_deletes_it()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");

        await Expect(client, Int(0), "EXPIRE", "k", "-10", "GT");
        await Expect(client, Int(1), "EXISTS", "k");
        await Expect(client, Int(1), "EXPIRE", "k", "-10", "LT");
        await Expect(client, Int(0), "EXISTS", "k");
    }

    [Fact]
    public async Task Expire_options_are_case_insensitive_and_may_repeat()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");

        await Expect(client, Int(1), "EXPIRE", "k", "10", "nx", "Nx");

        await Expect(client, Int(10), "TTL", "k");
    }

    [Theory]
    [InlineData("NX", "XX")]
    [InlineData("NX", "GT")]
    [InlineData("LT", "NX")]
    public async Task Expire_nx_with_another_condition_is_an_error(string first, string second)
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");

        await Expect(client, Error("ERR NX and XX, GT or LT options at the same time are not compatible"), "EXPIRE", "k", "10", first, second);

        await Expect(client, Int(-1), "TTL", "k");
    }

    [Fact]
    public async Task Expire_gt_with_lt_is_an_error()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");

        await Expect(client, Error("ERR GT and LT options at the same time are not compatible"), "PEXPIRE", "k", "10", "GT", "LT");
    }

    [Fact]
    public async Task Expire_reads_its_options_before_its_time_even_for_a_missing_key()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");

        await Expect(client, Error("ERR Unsupported option foo"), "EXPIRE", "k", "10", "foo");
        await Expect(client, Error("ERR Unsupported option foo"), "EXPIRE", "k", "abc", "foo");
        await Expect(client, Error("ERR Unsupported option foo"), "EXPIRE", "missing", "10", "foo");
        await Expect(client, Error("ERR Unsupported option a b"), "EXPIRE", "k", "10", "a\nb");

        await Expect(client, Int(-1), "TTL", "k");
    }

    [Theory]
    [InlineData("EXPIRE")]
    [InlineData("PEXPIRE")]
    [InlineData("EXPIREAT")]
    [InlineData("PEXPIREAT")]
    public async Task Expire_with_a_time_that_is_not_an_integer_is_an_error(string command)
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");

        await Expect(client, NotAnInteger, command, "k", "abc");
        await Expect(client, NotAnInteger, command, "k", "1.5");
        await Expect(client, NotAnInteger, command, "missing", "abc");

        await Expect(client, Int(-1), "TTL", "k");
    }

    [Theory]
    [InlineData("EXPIRE", "9223372036854775807")]
    [InlineData("EXPIRE", "9223372036854775")]
    [InlineData("EXPIRE", "-9223372036854775808")]
    [InlineData("PEXPIRE", "9223372036854775807")]
    [InlineData("EXPIREAT", "9223372036854775807")]
    public async Task Expire_with_a_time_that_overflows_is_an_invalid_expire_time(string command, string time)
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");

        await Expect(client, InvalidExpireTime(command.ToLowerInvariant()), command, "k", time);

        await Expect(client, Int(-1), "TTL", "k");
    }

    [Fact]
    public async Task Pexpireat_the_largest_time_is_accepted()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");

        await Expect(client, Int(1), "PEXPIREAT", "k", "9223372036854775807");

        await Expect(client, Int(long.MaxValue - Clock.UnixTimeMs), "PTTL", "k");
        await Expect(client, Int((long.MaxValue - Clock.UnixTimeMs + 500) / 1000), "TTL", "k");
    }

    // TTL, PTTL, PERSIST

    [Fact]
    public async Task Ttl_is_minus_two_for_a_missing_key_and_minus_one_without_expiry()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");

        await Expect(client, Int(-2), "TTL", "missing");
        await Expect(client, Int(-2), "PTTL", "missing");
        await Expect(client, Int(-1), "TTL", "k");
        await Expect(client, Int(-1), "PTTL", "k");
    }

    [Theory]
    [InlineData(1500, 2)]
    [InlineData(1499, 1)]
    [InlineData(500, 1)]
    [InlineData(499, 0)]
    [InlineData(10_000, 10)]
    public async Task Ttl_rounds_the_remaining_milliseconds_to_the_nearest_second(long milliseconds, long seconds)
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v", "PX", Text(milliseconds));

        await Expect(client, Int(seconds), "TTL", "k");
        await Expect(client, Int(milliseconds), "PTTL", "k");
    }

    [Fact]
    public async Task Ttl_counts_down_with_the_clock()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v", "EX", "10");

        Clock.Advance(TimeSpan.FromMilliseconds(3_200));

        await Expect(client, Int(7), "TTL", "k");
        await Expect(client, Int(6_800), "PTTL", "k");
    }

    [Fact]
    public async Task At_its_expiry_millisecond_a_key_is_still_there_with_a_ttl_of_zero()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v", "PX", "1000");

        Clock.Advance(TimeSpan.FromMilliseconds(1000));

        // Redis's keyIsExpired: expired once now > when.
        await Expect(client, Int(0), "PTTL", "k");
        await Expect(client, Int(0), "TTL", "k");
        await Expect(client, Bulk("v"), "GET", "k");
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        await Expect(client, Int(-2), "PTTL", "k");
    }

    [Fact]
    public async Task Persist_removes_the_ttl_so_the_key_outlives_it()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v", "EX", "10");

        await Expect(client, Int(1), "PERSIST", "k");
        Clock.Advance(TimeSpan.FromSeconds(20));

        await Expect(client, Bulk("v"), "GET", "k");
        await Expect(client, Int(-1), "TTL", "k");
    }

    [Fact]
    public async Task Persist_of_a_key_without_ttl_or_a_missing_key_is_zero()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");

        await Expect(client, Int(0), "PERSIST", "k");
        await Expect(client, Int(0), "PERSIST", "missing");
    }

    // RENAME, RENAMENX

    [Fact]
    public async Task Rename_moves_the_value_and_its_ttl()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "a", "v", "EX", "100");

        await Expect(client, Ok, "RENAME", "a", "b");

        await Expect(client, Int(0), "EXISTS", "a");
        await Expect(client, Bulk("v"), "GET", "b");
        await Expect(client, Int(100), "TTL", "b");
    }

    [Fact]
    public async Task Rename_overwrites_the_target_and_its_ttl()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "a", "new");
        await client.ExecuteAsync("SET", "b", "old", "EX", "100");

        await Expect(client, Ok, "RENAME", "a", "b");

        await Expect(client, Bulk("new"), "GET", "b");
        await Expect(client, Int(-1), "TTL", "b");
    }

    [Fact]
    public async Task Rename_of_a_key_to_itself_is_ok_and_changes_nothing()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "a", "v", "EX", "100");

        await Expect(client, Ok, "RENAME", "a", "a");
        await Expect(client, Int(0), "RENAMENX", "a", "a");

        await Expect(client, Bulk("v"), "GET", "a");
        await Expect(client, Int(100), "TTL", "a");
    }

    [Fact]
    public async Task Rename_of_a_missing_key_is_no_such_key_even_onto_itself()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "b", "v");

        await Expect(client, Error("ERR no such key"), "RENAME", "missing", "b");
        await Expect(client, Error("ERR no such key"), "RENAME", "missing", "missing");
        await Expect(client, Error("ERR no such key"), "RENAMENX", "missing", "x");

        await Expect(client, Bulk("v"), "GET", "b");
    }

    [Fact]
    public async Task Renamenx_moves_the_key_only_when_the_target_is_missing()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("MSET", "a", "1", "b", "2", "c", "3");

        await Expect(client, Int(0), "RENAMENX", "a", "b");
        await Expect(client, Array("1", "2"), "MGET", "a", "b");

        await Expect(client, Int(1), "RENAMENX", "c", "d");
        await Expect(client, Array(null, "3"), "MGET", "c", "d");
    }

    [Fact]
    public async Task Rename_between_keys_only_on_disk_loads_both_and_saves_the_move()
    {
        Store.Seed("a", "from a");
        Store.Seed("b", "from b");
        var client = await StartAsync();

        await Expect(client, Ok, "RENAME", "a", "b");
        await client.FlushToDiskAsync();

        await Expect(client, Array(null, "from a"), "MGET", "a", "b");
        Assert.Null(Store.StoredString("a"));
        Assert.Equal("from a", Store.StoredString("b"));
    }

    [Fact]
    public async Task Rename_of_an_expired_key_is_no_such_key()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "a", "v", "PX", "10");
        Clock.Advance(TimeSpan.FromMilliseconds(11));

        await Expect(client, Error("ERR no such key"), "RENAME", "a", "b");

        await Expect(client, Int(0), "EXISTS", "b");
    }
}
