using System.Text;
using ActorCache.Commands;
using ActorCache.Protocol;
using Xunit;

namespace ActorCache.Tests.Commands;

/// <summary>
/// The pieces the handlers share: the command table against Redis's COMMAND INFO, strict integer parsing (string2ll),
/// the long double of INCRBYFLOAT (strtold and "%.17Lf"), and the wording of error replies.
/// </summary>
public sealed class ArgumentsSpec
{
    // The command table

    [Theory]
    [InlineData("get", 2, 1, 1, 1, false)]
    [InlineData("set", -3, 1, 1, 1, true)]
    [InlineData("setnx", 3, 1, 1, 1, true)]
    [InlineData("setex", 4, 1, 1, 1, true)]
    [InlineData("psetex", 4, 1, 1, 1, true)]
    [InlineData("getset", 3, 1, 1, 1, true)]
    [InlineData("getdel", 2, 1, 1, 1, true)]
    [InlineData("getex", -2, 1, 1, 1, true)]
    [InlineData("mget", -2, 1, -1, 1, false)]
    [InlineData("mset", -3, 1, -1, 2, true)]
    [InlineData("msetnx", -3, 1, -1, 2, true)]
    [InlineData("append", 3, 1, 1, 1, true)]
    [InlineData("strlen", 2, 1, 1, 1, false)]
    [InlineData("getrange", 4, 1, 1, 1, false)]
    [InlineData("setrange", 4, 1, 1, 1, true)]
    [InlineData("incr", 2, 1, 1, 1, true)]
    [InlineData("decr", 2, 1, 1, 1, true)]
    [InlineData("incrby", 3, 1, 1, 1, true)]
    [InlineData("decrby", 3, 1, 1, 1, true)]
    [InlineData("incrbyfloat", 3, 1, 1, 1, true)]
    [InlineData("del", -2, 1, -1, 1, true)]
    [InlineData("unlink", -2, 1, -1, 1, true)]
    [InlineData("exists", -2, 1, -1, 1, false)]
    [InlineData("touch", -2, 1, -1, 1, false)]
    [InlineData("type", 2, 1, 1, 1, false)]
    [InlineData("expire", -3, 1, 1, 1, true)]
    [InlineData("pexpire", -3, 1, 1, 1, true)]
    [InlineData("expireat", -3, 1, 1, 1, true)]
    [InlineData("pexpireat", -3, 1, 1, 1, true)]
    [InlineData("ttl", 2, 1, 1, 1, false)]
    [InlineData("pttl", 2, 1, 1, 1, false)]
    [InlineData("expiretime", 2, 1, 1, 1, false)]
    [InlineData("pexpiretime", 2, 1, 1, 1, false)]
    [InlineData("persist", 2, 1, 1, 1, true)]
    [InlineData("rename", 3, 1, 2, 1, true)]
    [InlineData("renamenx", 3, 1, 2, 1, true)]
    [InlineData("keys", 2, 0, 0, 0, false)]
    [InlineData("scan", -2, 0, 0, 0, false)]
    [InlineData("dbsize", 1, 0, 0, 0, false)]
    [InlineData("randomkey", 1, 0, 0, 0, false)]
    [InlineData("flushdb", -1, 0, 0, 0, true)]
    [InlineData("flushall", -1, 0, 0, 0, true)]
    public void The_command_table_has_redis_arity_and_key_positions(string name, int arity, int firstKey, int lastKey, int keyStep, bool write)
    {
        Assert.True(CommandTable.Default.TryGet(Encoding.ASCII.GetBytes(name.ToUpperInvariant()), out var command));

        Assert.Equal(name, command.Name);
        Assert.Equal(arity, command.Arity);
        Assert.Equal((firstKey, lastKey, keyStep), (command.FirstKey, command.LastKey, command.KeyStep));
        Assert.Equal(write, command.Flags.HasFlag(CommandFlags.Write));
        Assert.NotEqual(write, command.Flags.HasFlag(CommandFlags.ReadOnly));
    }

    [Fact]
    public void The_command_table_has_no_command_beyond_the_documented_ones()
    {
        Assert.Equal(42, CommandTable.Default.Commands.Count());
    }

    [Fact]
    public void Key_indexes_follow_first_last_and_step()
    {
        Assert.True(CommandTable.Default.TryGet("MSET"u8.ToArray(), out var mset));
        Assert.True(CommandTable.Default.TryGet("RENAME"u8.ToArray(), out var rename));
        Assert.True(CommandTable.Default.TryGet("SCAN"u8.ToArray(), out var scan));

        Assert.Equal([1, 3, 5], mset.KeyIndexes(7));
        Assert.Equal([1, 2], rename.KeyIndexes(3));
        Assert.Empty(scan.KeyIndexes(4));
    }

    // Integers

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("7", 7L)]
    [InlineData("-1", -1L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void An_integer_is_parsed_exactly(string text, long expected)
    {
        Assert.True(Arguments.TryParseInt64(Encoding.ASCII.GetBytes(text), out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("+1")]
    [InlineData("01")]
    [InlineData("-0")]
    [InlineData("-01")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1.0")]
    [InlineData("1e3")]
    [InlineData("0x10")]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    [InlineData("99999999999999999999")]
    [InlineData("123456789012345678901234")]
    [InlineData("\u0663")]
    public void Text_that_redis_does_not_take_for_an_integer_is_refused(string text)
    {
        Assert.False(Arguments.TryParseInt64(Encoding.UTF8.GetBytes(text), out _));
    }

    [Fact]
    public void An_integer_followed_by_a_zero_byte_is_refused()
    {
        Assert.False(Arguments.TryParseInt64([(byte)'1', 0], out _));
    }

    // The long double of INCRBYFLOAT

    [Theory]
    [InlineData("10.5", "10.5")]
    [InlineData("0.1", "0.1")]
    [InlineData("-0", "0")]
    [InlineData("1e-20", "0")]
    [InlineData("-1e-20", "0")]
    [InlineData("0x1p-1", "0.5")]
    [InlineData("1E+3", "1000")]
    [InlineData("0.000003814697265625", "0.00000381469726562")]
    [InlineData("0.000003814697265635", "0.00000381469726563")]
    [InlineData("18446744073709551617", "18446744073709551616")]
    [InlineData("3.6e-4951", "0")]
    public void A_float_reads_like_strtold_and_prints_like_redis(string text, string expected)
    {
        Assert.True(LongDouble.TryParse(Encoding.ASCII.GetBytes(text), out var value));

        Assert.Equal(expected, value.ToHumanString());
    }

    [Theory]
    [InlineData("inf")]
    [InlineData("-INF")]
    [InlineData("+infinity")]
    public void Infinity_is_a_float(string text)
    {
        Assert.True(LongDouble.TryParse(Encoding.ASCII.GetBytes(text), out var value));
        Assert.True(value.IsInfinity);
    }

    [Theory]
    [InlineData("nan")]
    [InlineData("1.8e-4951")]
    [InlineData("1.2e4932")]
    [InlineData("0x1p16384")]
    [InlineData("1e")]
    [InlineData("e1")]
    [InlineData("0x")]
    [InlineData("0x1p")]
    [InlineData("1 ")]
    [InlineData(" 1")]
    public void Text_that_is_nan_out_of_range_or_not_a_whole_number_is_not_a_float(string text)
    {
        Assert.False(LongDouble.TryParse(Encoding.ASCII.GetBytes(text), out _));
    }

    [Fact]
    public void A_float_argument_of_5120_characters_or_more_is_refused()
    {
        var one = "1." + new string('0', 5116);

        Assert.True(LongDouble.TryParse(Encoding.ASCII.GetBytes(one + "1"), out _));
        Assert.False(LongDouble.TryParse(Encoding.ASCII.GetBytes(one + "01"), out _));
    }

    [Fact]
    public void Sums_round_to_a_64_bit_mantissa()
    {
        Assert.True(LongDouble.TryParse("0.1"u8, out var a));
        Assert.True(LongDouble.TryParse("0.2"u8, out var b));
        Assert.True(LongDouble.TryParse("5.6"u8, out var c));
        Assert.True(LongDouble.TryParse("5000"u8, out var d));

        Assert.Equal("0.3", (a + b).ToHumanString());
        Assert.Equal("5005.60000000000000009", (c + d).ToHumanString());
    }

    // Error wording

    [Fact]
    public void An_unknown_command_is_quoted_up_to_a_zero_byte_as_redis_prints_it()
    {
        var reply = Errors.UnknownCommand([[(byte)'f', (byte)'o', 0, (byte)'o'], [(byte)'a', 0, (byte)'b'], []]);

        Assert.Equal(RedisReply.Error("ERR unknown command 'fo', with args beginning with: 'a' '' "), reply);
    }
}
