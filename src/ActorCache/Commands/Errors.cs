using System.Text;
using ActorCache.Protocol;

namespace ActorCache.Commands;

/// <summary>Redis's error replies, worded as Redis words them so that clients and tools recognise them.</summary>
internal static class Errors
{
    public static readonly RedisReply Syntax = RedisReply.Error("ERR syntax error");
    public static readonly RedisReply NotInteger = RedisReply.Error("ERR value is not an integer or out of range");
    public static readonly RedisReply NotFloat = RedisReply.Error("ERR value is not a valid float");
    public static readonly RedisReply Overflow = RedisReply.Error("ERR increment or decrement would overflow");
    public static readonly RedisReply DecrementOverflow = RedisReply.Error("ERR decrement would overflow");
    public static readonly RedisReply NaNOrInfinity = RedisReply.Error("ERR increment would produce NaN or Infinity");
    public static readonly RedisReply WrongType = RedisReply.Error("WRONGTYPE Operation against a key holding the wrong kind of value");
    public static readonly RedisReply NoSuchKey = RedisReply.Error("ERR no such key");
    public static readonly RedisReply TooLarge = RedisReply.Error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    public static readonly RedisReply OffsetOutOfRange = RedisReply.Error("ERR offset is out of range");
    public static readonly RedisReply InvalidCursor = RedisReply.Error("ERR invalid cursor");
    public static readonly RedisReply DatabaseOutOfRange = RedisReply.Error("ERR DB index is out of range");
    public static readonly RedisReply EmptyCommand = RedisReply.Error("ERR empty command");

    public static RedisReply ReplyTooLargeForRemote(long size, long max) => RedisReply.Error(
        $"ERR reply of about {size} bytes is over this node's Akka.Remote frame limit ({max} bytes of payload): "
        + "raise akka.remote.dot-netty.tcp.maximum-frame-size on the node and the client, or read it over RESP");

    public static RedisReply InvalidExpireTime(string command) => RedisReply.Error($"ERR invalid expire time in '{command}' command");

    public static RedisReply WrongArity(string command) => RedisReply.Error($"ERR wrong number of arguments for '{command}' command");

    /// <summary>
    /// Redis's text: the name (up to 128 bytes), then the arguments quoted while the list is under 128 bytes, each
    /// cut to what is left of the 128.
    /// </summary>
    public static RedisReply UnknownCommand(byte[][] arguments)
    {
        var args = new List<byte>();
        for (var i = 1; i < arguments.Length && args.Count < 128; i++)
        {
            var room = 128 - args.Count;
            args.Add((byte)'\'');
            args.AddRange(CString(arguments[i], room));
            args.AddRange("' "u8.ToArray());
        }

        var name = Encoding.UTF8.GetString(CString(arguments[0], 128));
        return Format($"ERR unknown command '{name}', with args beginning with: {Encoding.UTF8.GetString(args.ToArray())}");
    }

    public static RedisReply UnsupportedOption(byte[] option) =>
        Format("ERR Unsupported option " + Encoding.UTF8.GetString(CString(option, int.MaxValue)));

    // An error is one RESP line: Redis turns CR and LF inside it into spaces.
    private static RedisReply Format(string message) => RedisReply.Error(message.Replace('\r', ' ').Replace('\n', ' '));

    // What C's "%.*s" prints of an argument: up to the first zero byte, at most max bytes.
    private static ReadOnlySpan<byte> CString(byte[] bytes, int max)
    {
        var span = bytes.AsSpan(0, Math.Min(bytes.Length, max));
        var zero = span.IndexOf((byte)0);
        return zero < 0 ? span : span[..zero];
    }
}
