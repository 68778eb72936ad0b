using System.Buffers;
using System.Text;
using ActorCache.Resp.Protocol;

namespace ActorCache.Tests.Resp.Protocol;

// Helpers shared by the codec specs: requests as bytes, buffers cut into segments the way a pipe hands them over, and
// a parse loop that records each result as one comparable line.
internal static class RespBytes
{
    public static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    public static string Text(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    public static byte[] Multibulk(params byte[][] arguments)
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write(Latin1($"*{arguments.Length}\r\n"));
        foreach (var argument in arguments)
        {
            buffer.Write(Latin1($"${argument.Length}\r\n"));
            buffer.Write(argument);
            buffer.Write("\r\n"u8);
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Multibulk(params string[] arguments) => Multibulk(arguments.Select(Latin1).ToArray());

    // Cuts data at the given offsets (ascending, duplicates give empty segments).
    public static ReadOnlySequence<byte> Segmented(byte[] data, params int[] cuts)
    {
        var bounds = cuts.Append(data.Length).ToArray();
        var first = new Segment(data.AsMemory(0, bounds[0]), 0);
        var last = first;
        for (var i = 1; i < bounds.Length; i++)
            last = last.Append(data.AsMemory(bounds[i - 1], bounds[i] - bounds[i - 1]));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    // Parses until the buffer runs out or breaks the protocol. Each line is "status args error consumed"; the loop
    // also checks the contract a connection relies on: Command and Skip move forward, nothing else moves.
    public static List<string> ParseAll(ReadOnlySequence<byte> buffer, RespLimits? limits = null)
    {
        var reader = new SequenceReader<byte>(buffer);
        var results = new List<string>();
        while (true)
        {
            var before = reader.Consumed;
            var status = RespRequestParser.TryParse(ref reader, limits ?? RespLimits.Default, out var arguments, out var error);
            var consumed = reader.Consumed - before;
            results.Add($"{status} [{string.Join("|", arguments.Select(Text))}] {error} {consumed}");
            switch (status)
            {
                case RespParseStatus.Command:
                    if (consumed <= 0 || arguments.Length == 0) throw new InvalidOperationException("A command must consume bytes and carry arguments.");
                    break;
                case RespParseStatus.Skip:
                    if (consumed <= 0) throw new InvalidOperationException("A skip must consume bytes.");
                    break;
                case RespParseStatus.Incomplete:
                    if (consumed != 0) throw new InvalidOperationException("Incomplete must not advance the reader.");
                    return results;
                case RespParseStatus.ProtocolError:
                    if (consumed != 0 || error is null || !error.StartsWith("ERR Protocol error: ", StringComparison.Ordinal))
                        throw new InvalidOperationException("A protocol error carries a Redis message and does not advance.");
                    return results;
                default:
                    throw new InvalidOperationException($"Unknown status {status}.");
            }
        }
    }

    public static List<string> ParseAll(byte[] data, RespLimits? limits = null) => ParseAll(new ReadOnlySequence<byte>(data), limits);

    public static List<string> ParseAll(string data, RespLimits? limits = null) => ParseAll(Latin1(data), limits);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
