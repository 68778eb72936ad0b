using System.Globalization;
using ActorCache.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Commands;

/// <summary>The string commands answer exactly as Redis 7.0 does (replies checked against redis-server 7.0.15).</summary>
public sealed class StringCommandsSpec(ITestOutputHelper output) : CommandNodeSpec(output)
{
    private string InSeconds(long seconds) => (Clock.UnixTimeMs / 1000 + seconds).ToString(CultureInfo.InvariantCulture);

    private string InMilliseconds(long milliseconds) => (Clock.UnixTimeMs + milliseconds).ToString(CultureInfo.InvariantCulture);

    // GET and SET

    [Fact]
    public async Task Get_of_a_missing_key_is_nil()
    {
        var client = await StartAsync();

        await Expect(client, Nil, "GET", "missing");
    }

    [Fact]
    public async Task Set_stores_a_value_that_get_returns()
    {
        var client = await StartAsync();

        await Expect(client, Ok, "SET", "k", "v");
        await Expect(client, Bulk("v"), "GET", "k");
    }

    [Fact]
    public async Task Set_overwrites_the_value_and_clears_the_ttl()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "old", "EX", "100");

        await Expect(client, Ok, "SET", "k", "new");

        await Expect(client, Bulk("new"), "GET", "k");
        await Expect(client, Int(-1), "TTL", "k");
    }

    [Fact]
    public async Task Set_nx_does_not_overwrite_an_existing_key()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "first");

        await Expect(client, Nil, "SET", "k", "second", "NX");

        await Expect(client, Bulk("first"), "GET", "k");
    }

    [Fact]
    public async Task Set_nx_sets_a_missing_key()
    {
        var client = await StartAsync();

        await Expect(client, Ok, "SET", "k", "v", "NX");

        await Expect(client, Bulk("v"), "GET", "k");
    }

    [Fact]
    public async Task Set_xx_does_not_create_a_missing_key()
    {
        var client = await StartAsync();

        await Expect(client, Nil, "SET", "k", "v", "XX");

        await Expect(client, Int(0), "EXISTS", "k");
    }

    [Fact]
    public async Task Set_xx_overwrites_an_existing_key()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "old");

        await Expect(client, Ok, "SET", "k", "new", "XX");

        await Expect(client, Bulk("new"), "GET", "k");
    }

    [Fact]
    public async Task Set_get_returns_the_old_value_and_writes_the_new_one()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "old");

        await Expect(client, Bulk("old"), "SET", "k", "new", "GET");

        await Expect(client, Bulk("new"), "GET", "k");
    }

    [Fact]
    public async Task Set_get_of_a_missing_key_returns_nil_and_writes()
    {
        var client = await StartAsync();

        await Expect(client, Nil, "SET", "k", "v", "GET");

        await Expect(client, Bulk("v"), "GET", "k");
    }

    [Fact]
    public async Task Set_nx_get_returns_the_old_value_and_does_not_overwrite()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "old");

        await Expect(client, Bulk("old"), "SET", "k", "new", "NX", "GET");

        await Expect(client, Bulk("old"), "GET", "k");
    }

    [Fact]
    public async Task Set_xx_get_of_a_missing_key_returns_nil_and_writes_nothing()
    {
        var client = await StartAsync();

        await Expect(client, Nil, "SET", "k", "v", "XX", "GET");

        await Expect(client, Int(0), "EXISTS", "k");
    }

    [Fact]
    public async Task Set_ex_makes_the_key_expire_after_that_many_seconds()
    {
        var client = await StartAsync();

        await Expect(client, Ok, "SET", "k", "v", "EX", "10");
        Clock.Advance(TimeSpan.FromMilliseconds(9_999));
        await Expect(client, Bulk("v"), "GET", "k");

        Clock.Advance(TimeSpan.FromMilliseconds(2));
        await Expect(client, Nil, "GET", "k");
    }

    [Fact]
    public async Task Set_px_makes_the_key_expire_after_that_many_milliseconds()
    {
        var client = await StartAsync();

        await Expect(client, Ok, "SET", "k", "v", "PX", "1500");

        await Expect(client, Int(1500), "PTTL", "k");
        Clock.Advance(TimeSpan.FromMilliseconds(1501));
        await Expect(client, Nil, "GET", "k");
    }

    [Fact]
    public async Task Set_exat_and_pxat_expire_at_that_unix_time()
    {
        var client = await StartAsync();

        await Expect(client, Ok, "SET", "a", "v", "EXAT", InSeconds(20));
        await Expect(client, Ok, "SET", "b", "v", "PXAT", InMilliseconds(20_500));

        await Expect(client, Int(20_000), "PTTL", "a");
        await Expect(client, Int(20_500), "PTTL", "b");
        Clock.Advance(TimeSpan.FromMilliseconds(20_001));
        await Expect(client, Int(0), "EXISTS", "a");
        await Expect(client, Int(1), "EXISTS", "b");
    }

    [Fact]
    public async Task Set_exat_in_the_past_replies_ok_and_leaves_no_key()
    {
        var client = await StartAsync();

        await Expect(client, Ok, "SET", "k", "v", "EXAT", "1");

        await Expect(client, Int(0), "EXISTS", "k");
    }

    [Fact]
    public async Task Set_keepttl_keeps_the_expiry_of_the_old_value()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "old", "EX", "100");

        await Expect(client, Ok, "SET", "k", "new", "KEEPTTL");

        await Expect(client, Bulk("new"), "GET", "k");
        await Expect(client, Int(100), "TTL", "k");
    }

    [Fact]
    public async Task Set_with_an_expire_option_repeated_uses_the_last_time()
    {
        var client = await StartAsync();

        await Expect(client, Ok, "SET", "k", "v", "EX", "10", "EX", "20");

        await Expect(client, Int(20), "TTL", "k");
    }

    [Fact]
    public async Task Set_options_are_case_insensitive_and_may_come_in_any_order()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "old");

        await Expect(client, Bulk("old"), "SET", "k", "new", "get", "Ex", "10", "xX");

        await Expect(client, Int(10), "TTL", "k");
    }

    [Theory]
    [InlineData("NX", "XX")]
    [InlineData("XX", "NX")]
    [InlineData("EX", "10", "PX", "100")]
    [InlineData("PX", "100", "EXAT", "100")]
    [InlineData("KEEPTTL", "EX", "10")]
    [InlineData("EX", "10", "KEEPTTL")]
    [InlineData("EX")]
    [InlineData("PERSIST")]
    [InlineData("FOO")]
    [InlineData("EX", "0", "FOO")]
    [InlineData("EX", "abc", "FOO")]
    public async Task Set_with_conflicting_or_unknown_options_is_a_syntax_error_and_writes_nothing(params string[] options)
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "old");

        await Expect(client, SyntaxError, ["SET", "k", "new", .. options]);

        await Expect(client, Bulk("old"), "GET", "k");
    }

    [Theory]
    [InlineData("EX", "0")]
    [InlineData("EX", "-1")]
    [InlineData("PX", "0")]
    [InlineData("EXAT", "0")]
    [InlineData("PXAT", "-1")]
    [InlineData("EX", "9223372036854775807")]
    [InlineData("PX", "9223372036854775807")]
    [InlineData("EXAT", "9223372036854775807")]
    public async Task Set_with_an_invalid_expire_time_is_an_error_and_writes_nothing(string unit, string time)
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "old");

        await Expect(client, InvalidExpireTime("set"), "SET", "k", "new", unit, time);

        await Expect(client, Bulk("old"), "GET", "k");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData(" 10")]
    [InlineData("")]
    public async Task Set_with_a_non_integer_expire_time_is_not_an_integer(string time)
    {
        var client = await StartAsync();

        await Expect(client, NotAnInteger, "SET", "k", "v", "EX", time);

        await Expect(client, Int(0), "EXISTS", "k");
    }

    // SETNX, SETEX, PSETEX

    [Fact]
    public async Task Setnx_sets_only_a_missing_key()
    {
        var client = await StartAsync();

        await Expect(client, Int(1), "SETNX", "k", "first");
        await Expect(client, Int(0), "SETNX", "k", "second");

        await Expect(client, Bulk("first"), "GET", "k");
    }

    [Fact]
    public async Task Setex_sets_the_value_with_a_ttl_in_seconds()
    {
        var client = await StartAsync();

        await Expect(client, Ok, "SETEX", "k", "10", "v");

        await Expect(client, Bulk("v"), "GET", "k");
        await Expect(client, Int(10), "TTL", "k");
        Clock.Advance(TimeSpan.FromMilliseconds(10_001));
        await Expect(client, Nil, "GET", "k");
    }

    [Fact]
    public async Task Psetex_sets_the_value_with_a_ttl_in_milliseconds()
    {
        var client = await StartAsync();

        await Expect(client, Ok, "PSETEX", "k", "2500", "v");

        await Expect(client, Int(2500), "PTTL", "k");
        Clock.Advance(TimeSpan.FromMilliseconds(2499));
        await Expect(client, Bulk("v"), "GET", "k");
        Clock.Advance(TimeSpan.FromMilliseconds(2));
        await Expect(client, Nil, "GET", "k");
    }

    [Theory]
    [InlineData("SETEX", "0")]
    [InlineData("SETEX", "-5")]
    [InlineData("SETEX", "9223372036854775807")]
    [InlineData("PSETEX", "0")]
    [InlineData("PSETEX", "-1")]
    public async Task Setex_and_psetex_reject_a_time_that_is_not_positive_or_overflows(string command, string time)
    {
        var client = await StartAsync();

        await Expect(client, InvalidExpireTime(command.ToLowerInvariant()), command, "k", time, "v");

        await Expect(client, Int(0), "EXISTS", "k");
    }

    [Theory]
    [InlineData("SETEX")]
    [InlineData("PSETEX")]
    public async Task Setex_and_psetex_with_a_non_integer_time_are_not_an_integer(string command)
    {
        var client = await StartAsync();

        await Expect(client, NotAnInteger, command, "k", "ten", "v");
    }

    // GETSET, GETDEL, GETEX

    [Fact]
    public async Task Getset_returns_the_old_value_and_clears_the_ttl()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "old", "EX", "100");

        await Expect(client, Bulk("old"), "GETSET", "k", "new");

        await Expect(client, Bulk("new"), "GET", "k");
        await Expect(client, Int(-1), "TTL", "k");
    }

    [Fact]
    public async Task Getset_of_a_missing_key_returns_nil_and_sets_it()
    {
        var client = await StartAsync();

        await Expect(client, Nil, "GETSET", "k", "v");

        await Expect(client, Bulk("v"), "GET", "k");
    }

    [Fact]
    public async Task Getdel_returns_the_value_and_deletes_the_key()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");

        await Expect(client, Bulk("v"), "GETDEL", "k");

        await Expect(client, Int(0), "EXISTS", "k");
        await Expect(client, Nil, "GETDEL", "k");
    }

    [Fact]
    public async Task Getex_without_options_is_a_get_that_keeps_the_ttl()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v", "EX", "100");

        await Expect(client, Bulk("v"), "GETEX", "k");

        await Expect(client, Int(100), "TTL", "k");
    }

    [Fact]
    public async Task Getex_sets_or_removes_the_ttl()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");

        await Expect(client, Bulk("v"), "GETEX", "k", "EX", "50");
        await Expect(client, Int(50), "TTL", "k");
        await Expect(client, Bulk("v"), "GETEX", "k", "PX", "5000");
        await Expect(client, Int(5000), "PTTL", "k");
        await Expect(client, Bulk("v"), "GETEX", "k", "EXAT", InSeconds(70));
        await Expect(client, Int(70), "TTL", "k");
        await Expect(client, Bulk("v"), "GETEX", "k", "PXAT", InMilliseconds(7500));
        await Expect(client, Int(7500), "PTTL", "k");
        await Expect(client, Bulk("v"), "GETEX", "k", "PERSIST");
        await Expect(client, Int(-1), "TTL", "k");
    }

    [Fact]
    public async Task Getex_with_a_time_in_the_past_returns_the_value_and_deletes_the_key()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");

        await Expect(client, Bulk("v"), "GETEX", "k", "EXAT", "1");

        await Expect(client, Int(0), "EXISTS", "k");
        await Expect(client, Int(0), "DBSIZE");
    }

    [Fact]
    public async Task Getex_of_a_missing_key_is_nil_even_with_a_bad_time()
    {
        var client = await StartAsync();

        await Expect(client, Nil, "GETEX", "missing");
        await Expect(client, Nil, "GETEX", "missing", "EX", "0");
        await Expect(client, Nil, "GETEX", "missing", "EX", "abc");
    }

    [Theory]
    [InlineData("EX", "0")]
    [InlineData("PX", "-1")]
    [InlineData("EXAT", "0")]
    [InlineData("PX", "9223372036854775807")]
    public async Task Getex_with_an_invalid_time_is_an_error_and_keeps_the_ttl(string unit, string time)
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v", "EX", "100");

        await Expect(client, InvalidExpireTime("getex"), "GETEX", "k", unit, time);

        await Expect(client, Int(100), "TTL", "k");
    }

    [Theory]
    [InlineData("PERSIST", "EX", "10")]
    [InlineData("EX", "10", "PERSIST")]
    [InlineData("EX", "5", "PX", "5")]
    [InlineData("KEEPTTL")]
    [InlineData("EX")]
    [InlineData("FOO")]
    public async Task Getex_with_conflicting_or_unknown_options_is_a_syntax_error(params string[] options)
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v", "EX", "100");

        await Expect(client, SyntaxError, ["GETEX", "k", .. options]);
        await Expect(client, SyntaxError, ["GETEX", "missing", .. options]);

        await Expect(client, Int(100), "TTL", "k");
    }

    // MGET, MSET, MSETNX

    [Fact]
    public async Task Mget_returns_values_in_argument_order_with_nil_for_missing_keys()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("MSET", "a", "1", "b", "2");

        await Expect(client, Array("2", null, "1", "2"), "MGET", "b", "missing", "a", "b");
    }

    [Fact]
    public async Task Mset_sets_every_pair_and_the_last_of_a_repeated_key_wins()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "a", "old", "EX", "100");

        await Expect(client, Ok, "MSET", "a", "1", "b", "2", "b", "3");

        await Expect(client, Array("1", "3"), "MGET", "a", "b");
        await Expect(client, Int(-1), "TTL", "a");
    }

    [Fact]
    public async Task Mset_with_a_key_without_a_value_is_a_wrong_arity_error_and_writes_nothing()
    {
        var client = await StartAsync();

        await Expect(client, WrongArity("mset"), "MSET", "a", "1", "b");
        await Expect(client, WrongArity("mset"), "MSET", "a");

        await Expect(client, Int(0), "EXISTS", "a", "b");
    }

    [Fact]
    public async Task Msetnx_sets_all_keys_when_none_exists()
    {
        var client = await StartAsync();

        await Expect(client, Int(1), "MSETNX", "a", "1", "b", "2");

        await Expect(client, Array("1", "2"), "MGET", "a", "b");
    }

    [Fact]
    public async Task Msetnx_sets_nothing_when_any_key_exists()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "b", "old");

        await Expect(client, Int(0), "MSETNX", "a", "1", "b", "2", "c", "3");

        await Expect(client, Array(null, "old", null), "MGET", "a", "b", "c");
    }

    [Fact]
    public async Task Msetnx_with_a_new_key_twice_sets_the_last_value()
    {
        var client = await StartAsync();

        await Expect(client, Int(1), "MSETNX", "k", "1", "k", "2");

        await Expect(client, Bulk("2"), "GET", "k");
    }

    [Fact]
    public async Task Msetnx_with_a_key_without_a_value_is_a_wrong_arity_error()
    {
        var client = await StartAsync();

        await Expect(client, WrongArity("msetnx"), "MSETNX", "a", "1", "b");

        await Expect(client, Int(0), "EXISTS", "a");
    }

    // APPEND, STRLEN

    [Fact]
    public async Task Append_creates_the_key_and_returns_the_new_length()
    {
        var client = await StartAsync();

        await Expect(client, Int(2), "APPEND", "k", "ab");
        await Expect(client, Int(4), "APPEND", "k", "cd");

        await Expect(client, Bulk("abcd"), "GET", "k");
    }

    [Fact]
    public async Task Append_of_nothing_to_a_missing_key_creates_an_empty_string()
    {
        var client = await StartAsync();

        await Expect(client, Int(0), "APPEND", "k", "");

        await Expect(client, Int(1), "EXISTS", "k");
        await Expect(client, Bulk(""), "GET", "k");
    }

    [Fact]
    public async Task Append_keeps_the_ttl()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "a", "EX", "100");

        await client.ExecuteAsync("APPEND", "k", "b");

        await Expect(client, Int(100), "TTL", "k");
    }

    [Fact]
    public async Task Strlen_is_the_length_in_bytes_and_zero_for_a_missing_key()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "héllo");

        await Expect(client, Int(6), "STRLEN", "k");
        await Expect(client, Int(0), "STRLEN", "missing");
    }

    // GETRANGE, SETRANGE

    [Theory]
    [InlineData("0", "3", "Hell")]
    [InlineData("-3", "-1", "rld")]
    [InlineData("0", "-1", "Hello World")]
    [InlineData("10", "100", "d")]
    [InlineData("-1", "-5", "")]
    [InlineData("5", "3", "")]
    [InlineData("-100", "-50", "H")]
    [InlineData("-100", "100", "Hello World")]
    [InlineData("11", "11", "")]
    [InlineData("100", "200", "")]
    [InlineData("-1", "-1", "d")]
    [InlineData("3", "-100", "")]
    [InlineData("0", "0", "H")]
    [InlineData("0", "9223372036854775807", "Hello World")]
    [InlineData("-9223372036854775808", "-9223372036854775808", "H")]
    public async Task Getrange_clamps_its_indexes_as_redis_7_does(string start, string end, string expected)
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "Hello World");

        await Expect(client, Bulk(expected), "GETRANGE", "k", start, end);
    }

    [Fact]
    public async Task Getrange_of_a_missing_or_empty_key_is_an_empty_string()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "empty", "");

        await Expect(client, Bulk(""), "GETRANGE", "missing", "0", "-1");
        await Expect(client, Bulk(""), "GETRANGE", "empty", "-1", "0");
    }

    [Fact]
    public async Task Getrange_with_a_non_integer_index_is_not_an_integer()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");

        await Expect(client, NotAnInteger, "GETRANGE", "k", "a", "1");
        await Expect(client, NotAnInteger, "GETRANGE", "k", "0", "1.0");
    }

    [Fact]
    public async Task Setrange_past_the_end_pads_with_zero_bytes()
    {
        var client = await StartAsync();

        await Expect(client, Int(8), "SETRANGE", "k", "5", "abc");

        Assert.Equal(Bulk([0, 0, 0, 0, 0, (byte)'a', (byte)'b', (byte)'c']), await client.ExecuteAsync("GET", "k"));
    }

    [Fact]
    public async Task Setrange_overwrites_inside_and_extends_the_string()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "Hello World");

        await Expect(client, Int(11), "SETRANGE", "k", "6", "Redis");
        await Expect(client, Int(13), "SETRANGE", "k", "10", "sss");

        await Expect(client, Bulk("Hello Redisss"), "GET", "k");
    }

    [Fact]
    public async Task Setrange_of_nothing_changes_nothing_and_creates_no_key()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "abc");

        await Expect(client, Int(0), "SETRANGE", "missing", "10", "");
        await Expect(client, Int(3), "SETRANGE", "k", "100", "");

        await Expect(client, Int(0), "EXISTS", "missing");
        await Expect(client, Bulk("abc"), "GET", "k");
    }

    [Fact]
    public async Task Setrange_keeps_the_ttl()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "abc", "EX", "100");

        await client.ExecuteAsync("SETRANGE", "k", "1", "X");

        await Expect(client, Bulk("aXc"), "GET", "k");
        await Expect(client, Int(100), "TTL", "k");
    }

    [Fact]
    public async Task Setrange_with_a_bad_offset_is_an_error_and_writes_nothing()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "abc");

        await Expect(client, Error("ERR offset is out of range"), "SETRANGE", "k", "-1", "x");
        await Expect(client, Error("ERR offset is out of range"), "SETRANGE", "missing", "-1", "");
        await Expect(client, NotAnInteger, "SETRANGE", "k", "one", "x");
        await Expect(client, Error("ERR string exceeds maximum allowed size (proto-max-bulk-len)"), "SETRANGE", "k", "536870912", "x");
        await Expect(client, Error("ERR string exceeds maximum allowed size (proto-max-bulk-len)"), "SETRANGE", "k", "9223372036854775807", "x");

        await Expect(client, Bulk("abc"), "GET", "k");
        await Expect(client, Int(0), "EXISTS", "missing");
    }

    // INCR, DECR, INCRBY, DECRBY

    [Fact]
    public async Task Incr_and_decr_treat_a_missing_key_as_zero()
    {
        var client = await StartAsync();

        await Expect(client, Int(1), "INCR", "a");
        await Expect(client, Int(-1), "DECR", "b");
        await Expect(client, Int(5), "INCRBY", "c", "5");
        await Expect(client, Int(-5), "DECRBY", "d", "5");

        await Expect(client, Array("1", "-1", "5", "-5"), "MGET", "a", "b", "c", "d");
    }

    [Fact]
    public async Task Incrby_and_decrby_take_negative_amounts()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "n", "10");

        await Expect(client, Int(11), "INCR", "n");
        await Expect(client, Int(-9), "INCRBY", "n", "-20");
        await Expect(client, Int(-14), "DECRBY", "n", "5");
        await Expect(client, Int(-4), "DECRBY", "n", "-10");

        await Expect(client, Bulk("-4"), "GET", "n");
    }

    [Fact]
    public async Task Incr_keeps_the_ttl()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "n", "1", "EX", "100");

        await client.ExecuteAsync("INCR", "n");

        await Expect(client, Int(100), "TTL", "n");
    }

    [Theory]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("01")]
    [InlineData("+1")]
    [InlineData("-0")]
    [InlineData("1.0")]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("9223372036854775808")]
    [InlineData("123456789012345678901")]
    public async Task Incr_of_a_value_that_is_not_a_strict_integer_is_an_error_and_keeps_the_value(string value)
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "n", value);

        await Expect(client, NotAnInteger, "INCR", "n");
        await Expect(client, NotAnInteger, "DECRBY", "n", "1");

        await Expect(client, Bulk(value), "GET", "n");
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("")]
    [InlineData("+5")]
    [InlineData("9223372036854775808")]
    public async Task Incrby_with_an_amount_that_is_not_an_integer_is_an_error(string amount)
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "n", "1");

        await Expect(client, NotAnInteger, "INCRBY", "n", amount);
        await Expect(client, NotAnInteger, "DECRBY", "n", amount);

        await Expect(client, Bulk("1"), "GET", "n");
    }

    [Fact]
    public async Task Incr_past_the_64_bit_range_is_an_overflow_error_and_keeps_the_value()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "max", "9223372036854775807");
        await client.ExecuteAsync("SET", "min", "-9223372036854775808");
        var overflow = Error("ERR increment or decrement would overflow");

        await Expect(client, overflow, "INCR", "max");
        await Expect(client, overflow, "INCRBY", "max", "1");
        await Expect(client, overflow, "DECR", "min");
        await Expect(client, overflow, "INCRBY", "min", "-1");

        await Expect(client, Bulk("9223372036854775807"), "GET", "max");
        await Expect(client, Bulk("-9223372036854775808"), "GET", "min");
        await Expect(client, Int(-1), "INCRBY", "max", "-9223372036854775808");
    }

    [Fact]
    public async Task Decrby_the_smallest_integer_is_a_decrement_overflow()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "n", "0");

        await Expect(client, Error("ERR decrement would overflow"), "DECRBY", "n", "-9223372036854775808");
        await Expect(client, Error("ERR decrement would overflow"), "DECRBY", "missing", "-9223372036854775808");

        await Expect(client, Bulk("0"), "GET", "n");
        await Expect(client, Int(0), "EXISTS", "missing");
    }

    // INCRBYFLOAT: Redis adds in x87 long double and prints "%.17Lf" without trailing zeros.

    [Theory]
    [InlineData("10.5", "0.1", "10.6")]
    [InlineData("5.6", "5.0e3", "5005.60000000000000009")]
    [InlineData("5.0e3", "2.0e2", "5200")]
    [InlineData("0.1", "0.2", "0.3")]
    [InlineData("3", "1e-20", "3")]
    [InlineData("0", "0.000003814697265625", "0.00000381469726562")]
    [InlineData("0", "-0.0000000000000000050", "0")]
    [InlineData("0", "1.5e-7", "0.00000015")]
    [InlineData("0", "1e21", "1000000000000000000000")]
    [InlineData("0", "123456789012345678901234567890", "123456789012345678899921813504")]
    [InlineData("1.23456789012345678", "-1.23456789012345678", "0")]
    [InlineData("0", "0x1p3", "8")]
    [InlineData("0", "0X1A", "26")]
    [InlineData("0", ".5", "0.5")]
    [InlineData("0", "1.", "1")]
    [InlineData("0", "+1", "1")]
    [InlineData("0", "1E+5", "100000")]
    [InlineData("00012", "0", "12")]
    [InlineData("9223372036854775807", "1", "9223372036854775808")]
    [InlineData("1.7976931348623157e308", "1.7976931348623157e308", "359538626972463139991842093548208868096772893888658356970628841530353257046248792709403737216774171128857586838851041378617416726902272110715794556052955234146997955372576789671236326588091188869859074894581254961338834769297758245552436667197907705664206565009503223382416235440319971852753604933726679072768")]
    public async Task Incrbyfloat_formats_the_sum_as_redis_does(string start, string increment, string expected)
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "f", start);

        await Expect(client, Bulk(expected), "INCRBYFLOAT", "f", increment);

        await Expect(client, Bulk(expected), "GET", "f");
    }

    [Fact]
    public async Task Incrbyfloat_treats_a_missing_key_as_zero_and_keeps_the_ttl()
    {
        var client = await StartAsync();

        await Expect(client, Bulk("3"), "INCRBYFLOAT", "f", "3");
        await client.ExecuteAsync("EXPIRE", "f", "100");
        await Expect(client, Bulk("2.5"), "INCRBYFLOAT", "f", "-0.5");

        await Expect(client, Int(100), "TTL", "f");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("nan")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("1e")]
    [InlineData("0x")]
    [InlineData("1,5")]
    [InlineData("infx")]
    [InlineData("1e5000")]
    [InlineData("1e-5000")]
    public async Task Incrbyfloat_with_an_increment_that_is_not_a_float_is_an_error(string increment)
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "f", "1.5");

        await Expect(client, NotAFloat, "INCRBYFLOAT", "f", increment);

        await Expect(client, Bulk("1.5"), "GET", "f");
    }

    [Fact]
    public async Task Incrbyfloat_of_a_value_that_is_not_a_float_is_an_error()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "f", "one");

        await Expect(client, NotAFloat, "INCRBYFLOAT", "f", "1");

        await Expect(client, Bulk("one"), "GET", "f");
    }

    [Theory]
    [InlineData("0", "inf")]
    [InlineData("0", "-Infinity")]
    [InlineData("inf", "1")]
    [InlineData("1.18973149535723176502e+4932", "1.18973149535723176502e+4932")]
    public async Task Incrbyfloat_to_infinity_is_an_error_and_keeps_the_value(string start, string increment)
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "f", start);

        await Expect(client, Error("ERR increment would produce NaN or Infinity"), "INCRBYFLOAT", "f", increment);

        await Expect(client, Bulk(start), "GET", "f");
    }
}
