using System.Buffers;
using System.Buffers.Text;
using System.Text;
using ActorCache.Protocol;

namespace ActorCache.Resp.Protocol;

// Renders a RedisReply as RESP2 or RESP3 straight into the connection's output buffer: no intermediate strings or
// arrays, the common replies as ready-made bytes, numbers formatted in place.
internal static class RespReplyWriter
{
    // The longest "<type><long>\r\n" line: a sign, 19 digits, the type byte and CRLF.
    private const int MaxHeaderLength = 1 + 20 + 2;

    // Values up to this size go out with one GetSpan; larger ones are copied in whatever pieces the writer offers.
    private const int SmallBulk = 4096;

    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;
    private static ReadOnlySpan<byte> OkBytes => "+OK\r\n"u8;
    private static ReadOnlySpan<byte> NilBulk2 => "$-1\r\n"u8;
    private static ReadOnlySpan<byte> NilArray2 => "*-1\r\n"u8;
    private static ReadOnlySpan<byte> Null3 => "_\r\n"u8;
    private static ReadOnlySpan<byte> EmptyArray => "*0\r\n"u8;
    private static ReadOnlySpan<byte> EmptyBulk => "$0\r\n\r\n"u8;
    private static ReadOnlySpan<byte> ZeroBytes => ":0\r\n"u8;
    private static ReadOnlySpan<byte> OneBytes => ":1\r\n"u8;

    public static void Write(IBufferWriter<byte> output, RedisReply reply, int protocolVersion)
    {
        if (protocolVersion is not (2 or 3))
            throw new ArgumentOutOfRangeException(nameof(protocolVersion), protocolVersion, "RESP versions are 2 and 3.");
        WriteReply(output, reply, protocolVersion == 3);
    }

    private static void WriteReply(IBufferWriter<byte> output, RedisReply reply, bool resp3)
    {
        switch (reply)
        {
            case SimpleStringReply { Value: "OK" }:
                output.Write(OkBytes);
                break;
            case SimpleStringReply simple:
                WriteLine(output, (byte)'+', simple.Value);
                break;
            case ErrorReply error:
                WriteLine(output, (byte)'-', error.Message);
                break;
            case IntegerReply { Value: 0 }:
                output.Write(ZeroBytes);
                break;
            case IntegerReply { Value: 1 }:
                output.Write(OneBytes);
                break;
            case IntegerReply integer:
                WriteHeader(output, (byte)':', integer.Value);
                break;
            case BulkStringReply { Value: null }:
                output.Write(resp3 ? Null3 : NilBulk2);
                break;
            case BulkStringReply bulk:
                WriteBulk(output, bulk.Value);
                break;
            case ArrayReply { Items: null }:
                output.Write(resp3 ? Null3 : NilArray2);
                break;
            case ArrayReply array:
                WriteArray(output, array.Items, resp3);
                break;
            case MapReply map:
                WriteMap(output, map.Entries, resp3);
                break;
            default:
                throw new ArgumentException($"No RESP form for the reply type {reply.GetType().Name}.", nameof(reply));
        }
    }

    private static void WriteArray(IBufferWriter<byte> output, IReadOnlyList<RedisReply> items, bool resp3)
    {
        if (items.Count == 0)
        {
            output.Write(EmptyArray);
            return;
        }
        WriteHeader(output, (byte)'*', items.Count);
        for (var i = 0; i < items.Count; i++) WriteReply(output, items[i], resp3);
    }

    // RESP2 has no map: Redis sends it as the flat array key1, value1, key2, value2, ...
    private static void WriteMap(IBufferWriter<byte> output, IReadOnlyList<(RedisReply Key, RedisReply Value)> entries, bool resp3)
    {
        if (resp3) WriteHeader(output, (byte)'%', entries.Count);
        else WriteHeader(output, (byte)'*', 2L * entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            WriteReply(output, entries[i].Key, resp3);
            WriteReply(output, entries[i].Value, resp3);
        }
    }

    private static void WriteBulk(IBufferWriter<byte> output, byte[] value)
    {
        if (value.Length == 0)
        {
            output.Write(EmptyBulk);
            return;
        }
        if (value.Length <= SmallBulk)
        {
            var span = output.GetSpan(MaxHeaderLength + value.Length + 2);
            span[0] = (byte)'$';
            Utf8Formatter.TryFormat(value.Length, span[1..], out var digits);
            var at = 1 + digits;
            span[at++] = (byte)'\r';
            span[at++] = (byte)'\n';
            value.CopyTo(span[at..]);
            at += value.Length;
            span[at++] = (byte)'\r';
            span[at++] = (byte)'\n';
            output.Advance(at);
            return;
        }
        WriteHeader(output, (byte)'$', value.Length);
        output.Write(value);
        output.Write(Crlf);
    }

    private static void WriteHeader(IBufferWriter<byte> output, byte type, long value)
    {
        var span = output.GetSpan(MaxHeaderLength);
        span[0] = type;
        Utf8Formatter.TryFormat(value, span[1..], out var written);
        span[1 + written] = (byte)'\r';
        span[2 + written] = (byte)'\n';
        output.Advance(3 + written);
    }

    // A status or error line cannot carry CR or LF: Redis turns them into spaces so a reply can never break framing.
    private static void WriteLine(IBufferWriter<byte> output, byte type, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        var span = output.GetSpan(length + 3);
        span[0] = type;
        var body = span.Slice(1, length);
        Encoding.UTF8.GetBytes(text, body);
        body.Replace((byte)'\r', (byte)' ');
        body.Replace((byte)'\n', (byte)' ');
        span[1 + length] = (byte)'\r';
        span[2 + length] = (byte)'\n';
        output.Advance(length + 3);
    }
}
