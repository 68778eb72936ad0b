using System.Buffers;
using ActorCache.Resp.Protocol;
using CsCheck;
using Xunit;
using static ActorCache.Tests.Resp.Protocol.RespBytes;

namespace ActorCache.Tests.Resp.Protocol;

// A request that arrives a few bytes at a time is checked once: the progress a connection carries between reads lets
// the parser skip what it already checked, and never changes what it answers.
public sealed class ParseProgressSpec
{
    [Fact]
    public void An_incomplete_multibulk_remembers_the_arguments_it_has_checked()
    {
        var whole = Multibulk("SET", "key", "value");
        var progress = default(RespParseProgress);

        Assert.Equal(RespParseStatus.Incomplete, Parse(whole[..^3], ref progress, out _));
        Assert.Equal(2, progress.CheckedArguments);
        Assert.Equal(Multibulk("SET", "key").Length, progress.CheckedBytes);

        Assert.Equal(RespParseStatus.Command, Parse(whole, ref progress, out var arguments));
        Assert.Equal(["SET", "key", "value"], arguments.Select(Text));
        Assert.Equal(default, progress);
    }

    [Fact]
    public void Progress_checked_past_the_first_segment_is_taken_up_by_the_slow_path()
    {
        var whole = Multibulk("SET", "key", "value");
        var progress = default(RespParseProgress);
        var reader = new SequenceReader<byte>(Segmented(whole[..^3], 4));
        Assert.Equal(RespParseStatus.Incomplete, RespRequestParser.TryParse(ref reader, RespLimits.Default, authenticated: true, ref progress, out _, out _));
        Assert.True(progress.CheckedBytes > 4);

        reader = new SequenceReader<byte>(Segmented(whole, 4));
        Assert.Equal(RespParseStatus.Command, RespRequestParser.TryParse(ref reader, RespLimits.Default, authenticated: true, ref progress, out var arguments, out _));
        Assert.Equal(["SET", "key", "value"], arguments.Select(Text));
    }

    [Fact]
    public void An_incomplete_inline_line_remembers_how_far_it_searched()
    {
        var progress = default(RespParseProgress);
        Assert.Equal(RespParseStatus.Incomplete, Parse(Latin1("PING hel"), ref progress, out _));
        Assert.Equal(8, progress.CheckedBytes);
        Assert.Equal(RespParseStatus.Command, Parse(Latin1("PING hello\r\n"), ref progress, out var arguments));
        Assert.Equal(["PING", "hello"], arguments.Select(Text));
    }

    [Fact]
    public void Pipelines_fed_in_random_pieces_with_carried_progress_parse_as_the_whole_buffer_does()
    {
        var pipelines = Gen.Frequency(
                (4, Gen.Byte.Array[0, 20].Array[1, 8].Select(Multibulk)),
                (1, Gen.String[0, 10].Select(text => Latin1(text.Replace("\n", "", StringComparison.Ordinal) + "\r\n"))))
            .Array[1, 6]
            .Select(frames => frames.SelectMany(f => f).ToArray());
        var cases = pipelines.SelectMany(data => Gen.Int[1, 7].Array[1, 40].Select(steps => (data, steps)));

        cases.Sample(c =>
        {
            var expected = ParseAll(c.data).Where(line => !line.StartsWith("Incomplete", StringComparison.Ordinal)).Select(Strip).ToList();
            var actual = new List<string>();
            var progress = default(RespParseProgress);
            var start = 0;
            var end = 0;
            var step = 0;
            while (true)
            {
                end = Math.Min(c.data.Length, end + c.steps[step++ % c.steps.Length]);
                var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(c.data, start, end - start));
                RespParseStatus status;
                do
                {
                    status = RespRequestParser.TryParse(ref reader, RespLimits.Default, authenticated: true, ref progress, out var arguments, out var error);
                    if (status != RespParseStatus.Incomplete) actual.Add($"{status} [{string.Join("|", arguments.Select(Text))}] {error}");
                }
                while (status is RespParseStatus.Command or RespParseStatus.Skip);
                start += (int)reader.Consumed;
                if (status == RespParseStatus.ProtocolError || end == c.data.Length) break;
            }

            Assert.Equal(expected, actual);
        });
    }

    [Fact]
    public void A_client_that_has_not_authenticated_gets_redis_smaller_limits()
    {
        var progress = default(RespParseProgress);
        var many = Multibulk(Enumerable.Range(0, 11).Select(i => $"a{i}").ToArray());
        Assert.Equal(RespParseStatus.ProtocolError, Parse(many, ref progress, out _, authenticated: false, out var error));
        Assert.Equal("ERR Protocol error: unauthenticated multibulk length", error);
        Assert.Equal(RespParseStatus.Command, Parse(many, ref progress, out _));

        var big = Multibulk("AUTH", new string('p', 16385));
        Assert.Equal(RespParseStatus.ProtocolError, Parse(big, ref progress, out _, authenticated: false, out error));
        Assert.Equal("ERR Protocol error: unauthenticated bulk length", error);
        Assert.Equal(RespParseStatus.Command, Parse(Multibulk("AUTH", new string('p', 16384)), ref progress, out _, authenticated: false, out _));
    }

    private static RespParseStatus Parse(byte[] data, ref RespParseProgress progress, out byte[][] arguments) =>
        Parse(data, ref progress, out arguments, authenticated: true, out _);

    private static RespParseStatus Parse(byte[] data, ref RespParseProgress progress, out byte[][] arguments, bool authenticated, out string? error)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(data));
        return RespRequestParser.TryParse(ref reader, RespLimits.Default, authenticated, ref progress, out arguments, out error);
    }

    // ParseAll's lines end with the bytes consumed, which a piecewise parse does not report.
    private static string Strip(string line) => line[..line.LastIndexOf(' ')];
}
