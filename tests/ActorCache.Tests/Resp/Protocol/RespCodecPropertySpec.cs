using System.Buffers;
using ActorCache.Protocol;
using ActorCache.Resp.Protocol;
using CsCheck;
using Xunit;
using static ActorCache.Tests.Resp.Protocol.RespBytes;

namespace ActorCache.Tests.Resp.Protocol;

// Random, truncated and mutated requests: the parser answers every input with one of its four results, always moves
// forward, never throws, and its answer depends neither on where the buffer is cut nor on how much has arrived.
public sealed class RespCodecPropertySpec
{
    private static readonly RespLimits Small = new() { MaxInlineLength = 16, MaxBulkLength = 24, MaxMultiBulkLength = 6 };

    // Bytes that steer the parser into its branches more often than uniform noise would.
    private static readonly Gen<byte> InterestingByte = Gen.Frequency(
        (3, Gen.Byte),
        (4, Gen.OneOf("*$\r\n-0123456789 \"'\\x\t\0:"u8.ToArray())));

    private static readonly Gen<byte[][]> Arguments = Gen.Byte.Array[0, 30].Array[1, 6];

    private static readonly Gen<byte[]> InlineLine =
        Gen.Frequency((3, Gen.OneOf("GET ", "SET k \"", "ECHO 'a\\'", "\"\\x4", "  ", "x\"y\" ", "'' ", "\\n")), (2, Gen.String[0, 8]))
            .Array[0, 6]
            .Select(parts => Latin1(string.Concat(parts) + "\r\n"));

    private static readonly Gen<byte[]> ValidPipeline =
        Gen.Frequency((4, Arguments.Select(Multibulk)), (1, InlineLine)).Array[1, 5].Select(frames => frames.SelectMany(f => f).ToArray());

    private static readonly Gen<byte[]> Truncated =
        ValidPipeline.SelectMany(data => Gen.Int[0, data.Length].Select(length => data[..length]));

    private static readonly Gen<byte[]> Mutated =
        ValidPipeline.SelectMany(data => Gen.Select(Gen.Int[0, Math.Max(0, data.Length - 1)], InterestingByte).Array[1, 3].Select(edits =>
        {
            var copy = (byte[])data.Clone();
            foreach (var (at, value) in edits)
                if (at < copy.Length) copy[at] = value;
            return copy;
        }));

    private static readonly Gen<byte[]> AnyInput = Gen.Frequency(
        (2, Gen.Byte.Array[0, 120]),
        (2, InterestingByte.Array[0, 120]),
        (2, Truncated),
        (3, Mutated),
        (1, ValidPipeline));

    private static readonly Gen<(byte[] Data, int First, int Second, bool SmallLimits)> SplitInput =
        AnyInput.SelectMany(data => Gen.Select(Gen.Int[0, data.Length], Gen.Int[0, data.Length], Gen.Bool)
            .Select(t => (data, Math.Min(t.Item1, t.Item2), Math.Max(t.Item1, t.Item2), t.Item3)));

    [Fact]
    public void Any_input_gives_only_the_four_results_and_never_an_exception_or_a_stall()
    {
        AnyInput.Sample(data =>
        {
            ParseAll(data);
            ParseAll(data, Small);
        }, iter: 20_000);
    }

    [Fact]
    public void Any_input_cut_into_segments_anywhere_parses_as_it_does_whole()
    {
        SplitInput.Sample(input =>
        {
            var limits = input.SmallLimits ? Small : RespLimits.Default;
            Assert.Equal(ParseAll(input.Data, limits), ParseAll(Segmented(input.Data, input.First, input.Second), limits));
        }, iter: 10_000);
    }

    [Fact]
    public void A_prefix_of_any_input_never_answers_what_the_whole_would_not()
    {
        AnyInput.Sample(data =>
        {
            foreach (var limits in new[] { RespLimits.Default, Small })
            {
                var whole = ParseAll(data, limits);
                for (var length = 0; length <= data.Length; length++)
                {
                    var prefix = ParseAll(data[..length], limits);
                    for (var i = 0; i < prefix.Count - 1; i++) Assert.Equal(whole[i], prefix[i]);
                    if (!prefix[^1].StartsWith("Incomplete", StringComparison.Ordinal)) Assert.Equal(whole[prefix.Count - 1], prefix[^1]);
                }
            }
        }, iter: 2_000);
    }

    [Fact]
    public void Any_argument_lists_written_as_multibulk_parse_back_unchanged()
    {
        Arguments.Array[1, 8].Sample(commands =>
        {
            var data = commands.SelectMany(Multibulk).ToArray();
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(data));
            foreach (var expected in commands)
            {
                Assert.Equal(RespParseStatus.Command, RespRequestParser.TryParse(ref reader, RespLimits.Default, out var arguments, out _));
                Assert.Equal(expected, arguments);
            }
            Assert.True(reader.End);
        }, iter: 2_000);
    }

    [Fact]
    public void Any_bulk_reply_written_as_a_one_element_array_parses_back_as_a_request()
    {
        Gen.Byte.Array[0, 100].Array[1, 8].Sample(values =>
        {
            var output = new ArrayBufferWriter<byte>();
            RespReplyWriter.Write(output, new ArrayReply(values.Select(RedisReply.Bulk).ToArray()), 2);
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(output.WrittenMemory));

            Assert.Equal(RespParseStatus.Command, RespRequestParser.TryParse(ref reader, RespLimits.Default, out var arguments, out _));
            Assert.Equal(values, arguments);
        }, iter: 1_000);
    }
}
