using System.Buffers;
using ActorCache.Resp.Protocol;
using Xunit;
using static ActorCache.Tests.Resp.Protocol.RespBytes;

namespace ActorCache.Tests.Resp.Protocol;

// A pipe hands over its buffer in segments cut anywhere; the parser must not care where.
public sealed class SegmentedBufferSpec
{
    private static readonly RespLimits Small = new() { MaxInlineLength = 12, MaxBulkLength = 20, MaxMultiBulkLength = 4 };

    public static TheoryData<string> Buffers => new()
    {
        "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\nvalue\r\n\0xx\r\n*1\r\n$4\r\nPING\r\n",
        "*0\r\nPING\r\n\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n*1\r\n$3\r\nGE",
        "SET k \"a\\x41 \\\"b\" 'c\\'d'\r\nGET k\n  \n",
        "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*1\r\n$3\r\nfooXY",
        "*1\r\n$2\r\nab\r\n*1\r\nx2\r\n",
        "ECHO \"unbalanced\r\n",
        "*1\r\n$123456789012345",
        "GET k\r\nGET 0123456789abcdef",
        "*2\r\n$3\r\nGET\r\n$21\r\n",
    };

    [Theory]
    [MemberData(nameof(Buffers))]
    public void Every_two_way_split_gives_the_same_results_as_one_segment(string text)
    {
        var data = Latin1(text);
        foreach (var limits in new[] { RespLimits.Default, Small })
        {
            var expected = ParseAll(data, limits);
            for (var cut = 0; cut <= data.Length; cut++)
                Assert.Equal(expected, ParseAll(Segmented(data, cut), limits));
        }
    }

    [Theory]
    [MemberData(nameof(Buffers))]
    public void Every_three_way_split_gives_the_same_results_as_one_segment(string text)
    {
        var data = Latin1(text);
        foreach (var limits in new[] { RespLimits.Default, Small })
        {
            var expected = ParseAll(data, limits);
            for (var first = 0; first <= data.Length; first++)
            for (var second = first; second <= data.Length; second++)
                Assert.Equal(expected, ParseAll(Segmented(data, first, second), limits));
        }
    }

    [Fact]
    public void A_buffer_of_one_byte_segments_parses_like_one_segment()
    {
        var data = Enumerable.Range(0, 50).SelectMany(i => Multibulk("SET", $"k{i}", new string('x', i))).Concat(Latin1("PING\r\n")).ToArray();

        var singleBytes = Segmented(data, Enumerable.Range(1, data.Length - 1).ToArray());

        Assert.Equal(52, ParseAll(singleBytes).Count);
        Assert.Equal(ParseAll(data), ParseAll(singleBytes));
    }

    [Fact]
    public void A_request_straddling_segments_leaves_the_reader_right_after_it()
    {
        var data = Latin1("*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\n*1\r\n$4\r\nPI");
        var reader = new SequenceReader<byte>(Segmented(data, 10, 20));

        Assert.Equal(RespParseStatus.Command, RespRequestParser.TryParse(ref reader, RespLimits.Default, out var arguments, out _));
        Assert.Equal(["ECHO", "hello"], arguments.Select(Text));
        Assert.Equal(25, reader.Consumed);
        Assert.Equal(RespParseStatus.Incomplete, RespRequestParser.TryParse(ref reader, RespLimits.Default, out _, out _));
        Assert.Equal(25, reader.Consumed);
    }
}
