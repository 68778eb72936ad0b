using System.Buffers;
using ActorCache.Resp.Protocol;
using Xunit;
using static ActorCache.Tests.Resp.Protocol.RespBytes;

namespace ActorCache.Tests.Resp.Protocol;

public sealed class MultibulkRequestSpec
{
    [Fact]
    public void A_multibulk_command_parses_and_the_reader_moves_past_it()
    {
        var request = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n";

        Assert.Equal([$"Command [SET|k|value]  {request.Length}", "Incomplete []  0"], ParseAll(request));
    }

    [Fact]
    public void Bulk_arguments_are_binary_safe()
    {
        var value = new byte[] { 0, 13, 10, 36, 42, 255, 13 };
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Multibulk("SET"u8.ToArray(), value, []).ToArray()));

        var status = RespRequestParser.TryParse(ref reader, RespLimits.Default, out var arguments, out var error);

        Assert.Equal(RespParseStatus.Command, status);
        Assert.Null(error);
        Assert.Equal(3, arguments.Length);
        Assert.Equal(value, arguments[1]);
        Assert.Empty(arguments[2]);
        Assert.True(reader.End);
    }

    [Fact]
    public void Many_pipelined_commands_parse_in_one_call_each_from_one_buffer()
    {
        var buffer = Enumerable.Range(0, 1000).SelectMany(i => Multibulk("SET", $"key:{i}", new string('v', i % 50))).ToArray();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(buffer));

        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(RespParseStatus.Command, RespRequestParser.TryParse(ref reader, RespLimits.Default, out var arguments, out _));
            Assert.Equal(["SET", $"key:{i}", new string('v', i % 50)], arguments.Select(Text));
        }
        Assert.Equal(RespParseStatus.Incomplete, RespRequestParser.TryParse(ref reader, RespLimits.Default, out _, out _));
        Assert.True(reader.End);
    }

    [Fact]
    public void Inline_and_multibulk_requests_mix_in_one_pipeline()
    {
        var buffer = "PING\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\nECHO hi\n";

        Assert.Equal(["Command [PING]  6", "Command [GET|a]  20", "Command [ECHO|hi]  8", "Incomplete []  0"], ParseAll(buffer));
    }

    [Theory]
    [InlineData("*0\r\n")]
    [InlineData("*-1\r\n")]
    [InlineData("*-7\r\n")]
    public void An_empty_or_negative_multibulk_is_skipped_like_redis_does(string request)
    {
        Assert.Equal([$"Skip []  {request.Length}", "Command [PING]  14", "Incomplete []  0"], ParseAll(request + "*1\r\n$4\r\nPING\r\n"));
    }

    [Fact]
    public void Every_prefix_of_a_command_is_incomplete_and_leaves_the_reader_where_it_was()
    {
        var request = Multibulk("SET", "key", "some value");
        for (var length = 0; length < request.Length; length++)
            Assert.Equal(["Incomplete []  0"], ParseAll(request[..length]));
    }

    [Theory]
    [InlineData("*1\r\nx")]
    [InlineData("*1\r\n$")]
    [InlineData("*1\r\n$3\r")]
    [InlineData("*1\r")]
    public void A_header_line_without_its_line_end_waits_for_more_even_when_it_will_be_wrong(string request)
    {
        Assert.Equal(["Incomplete []  0"], ParseAll(request));
    }

    [Theory]
    [InlineData("*abc\r\n", "ERR Protocol error: invalid multibulk length")]
    [InlineData("*\r\n", "ERR Protocol error: invalid multibulk length")]
    [InlineData("*01\r\n", "ERR Protocol error: invalid multibulk length")]
    [InlineData("*+1\r\n", "ERR Protocol error: invalid multibulk length")]
    [InlineData("*-0\r\n", "ERR Protocol error: invalid multibulk length")]
    [InlineData("*1 \r\n", "ERR Protocol error: invalid multibulk length")]
    [InlineData("*1\rx", "ERR Protocol error: invalid multibulk length")]
    [InlineData("*1048577\r\n", "ERR Protocol error: invalid multibulk length")]
    [InlineData("*99999999999999999999\r\n", "ERR Protocol error: invalid multibulk length")]
    [InlineData("*1\r\n$-1\r\n", "ERR Protocol error: invalid bulk length")]
    [InlineData("*1\r\n$abc\r\n", "ERR Protocol error: invalid bulk length")]
    [InlineData("*1\r\n$\r\n", "ERR Protocol error: invalid bulk length")]
    [InlineData("*1\r\n$536870913\r\n", "ERR Protocol error: invalid bulk length")]
    [InlineData("*1\r\n$3\rx", "ERR Protocol error: invalid bulk length")]
    [InlineData("*1\r\n$3\r\nfooXY", "ERR Protocol error: invalid bulk length")]
    [InlineData("*1\r\n$3\r\nfoo\n\r", "ERR Protocol error: invalid bulk length")]
    [InlineData("*1\r\nx3\r\n", "ERR Protocol error: expected '$', got 'x'")]
    [InlineData("*2\r\n$1\r\na\r\n:3\r\n", "ERR Protocol error: expected '$', got ':'")]
    [InlineData("*1\r\n\t\r\n", "ERR Protocol error: expected '$', got '\\x09'")]
    public void A_malformed_multibulk_gives_the_redis_error(string request, string expected)
    {
        Assert.Equal([$"ProtocolError [] {expected} 0"], ParseAll(request));
    }

    [Fact]
    public void The_largest_multibulk_count_and_bulk_length_are_accepted_and_one_more_is_not()
    {
        var limits = new RespLimits { MaxMultiBulkLength = 3, MaxBulkLength = 4 };

        var largest = Multibulk("a", "bcde", "f");
        Assert.Equal($"Command [a|bcde|f]  {largest.Length}", ParseAll(largest, limits)[0]);
        Assert.Equal("ProtocolError [] ERR Protocol error: invalid multibulk length 0", ParseAll(Multibulk("a", "b", "c", "d"), limits)[0]);
        Assert.Equal("ProtocolError [] ERR Protocol error: invalid bulk length 0", ParseAll(Multibulk("abcde"), limits)[0]);
    }

    [Fact]
    public void A_too_long_bulk_length_is_refused_before_its_bytes_arrive()
    {
        Assert.Equal(["ProtocolError [] ERR Protocol error: invalid bulk length 0"], ParseAll("*1\r\n$536870913\r\n"));
        Assert.Equal(["Incomplete []  0"], ParseAll("*1\r\n$536870912\r\n"));
    }

    [Fact]
    public void A_multibulk_count_line_longer_than_the_inline_limit_is_refused_while_still_incomplete()
    {
        var limits = new RespLimits { MaxInlineLength = 16 };

        Assert.Equal(["Incomplete []  0"], ParseAll("*" + new string('1', 15), limits));
        Assert.Equal(["ProtocolError [] ERR Protocol error: too big mbulk count string 0"], ParseAll("*" + new string('1', 16), limits));
        Assert.Equal(["ProtocolError [] ERR Protocol error: too big mbulk count string 0"], ParseAll("*" + new string('1', 70_000)));
    }

    [Fact]
    public void A_bulk_length_line_longer_than_the_inline_limit_is_refused_while_still_incomplete()
    {
        var limits = new RespLimits { MaxInlineLength = 16 };

        Assert.Equal(["Incomplete []  0"], ParseAll("*1\r\n$" + new string('1', 15), limits));
        Assert.Equal(["ProtocolError [] ERR Protocol error: too big bulk count string 0"], ParseAll("*1\r\n$" + new string('1', 16), limits));
        Assert.Equal(["ProtocolError [] ERR Protocol error: too big bulk count string 0"], ParseAll("*1\r\n$" + new string('1', 70_000)));
    }

    [Fact]
    public void Commands_before_a_protocol_error_still_parse()
    {
        Assert.Equal(["Command [PING]  14", "ProtocolError [] ERR Protocol error: expected '$', got '?' 0"], ParseAll("*1\r\n$4\r\nPING\r\n*1\r\n?\r\n"));
    }

    [Fact]
    public void The_query_buffer_limit_is_exceeded_only_beyond_its_size()
    {
        var limits = new RespLimits { MaxQueryBufferLength = 100 };

        Assert.False(RespRequestParser.ExceedsQueryBufferLimit(100, limits));
        Assert.True(RespRequestParser.ExceedsQueryBufferLimit(101, limits));
        Assert.False(RespRequestParser.ExceedsQueryBufferLimit(1L << 30, RespLimits.Default));
        Assert.True(RespRequestParser.ExceedsQueryBufferLimit((1L << 30) + 1, RespLimits.Default));
    }
}
