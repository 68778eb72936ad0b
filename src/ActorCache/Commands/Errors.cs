using ActorCache.Protocol;

namespace ActorCache.Commands;

/// <summary>Redis's error replies, worded as Redis words them so that clients and tools recognise them.</summary>
internal static class Errors
{
    public static readonly RedisReply Syntax = RedisReply.Error("ERR syntax error");
    public static readonly RedisReply NotInteger = RedisReply.Error("ERR value is not an integer or out of range");
    public static readonly RedisReply NotFloat = RedisReply.Error("ERR value is not a valid float");
    public static readonly RedisReply Overflow = RedisReply.Error("ERR increment or decrement would overflow");
    public static readonly RedisReply NaNOrInfinity = RedisReply.Error("ERR increment would produce NaN or Infinity");
    public static readonly RedisReply WrongType = RedisReply.Error("WRONGTYPE Operation against a key holding the wrong kind of value");
    public static readonly RedisReply NoSuchKey = RedisReply.Error("ERR no such key");
    public static readonly RedisReply TooLarge = RedisReply.Error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    public static readonly RedisReply OffsetOutOfRange = RedisReply.Error("ERR offset is out of range");
    public static readonly RedisReply InvalidCursor = RedisReply.Error("ERR invalid cursor");
    public static readonly RedisReply DatabaseOutOfRange = RedisReply.Error("ERR DB index is out of range");
    public static readonly RedisReply EmptyCommand = RedisReply.Error("ERR empty command");

    public static RedisReply InvalidExpireTime(string command) => RedisReply.Error($"ERR invalid expire time in '{command}' command");

    public static RedisReply WrongArity(string command) => RedisReply.Error($"ERR wrong number of arguments for '{command}' command");

    public static RedisReply UnknownCommand(byte[][] arguments)
    {
        static string Show(byte[] bytes) => System.Text.Encoding.UTF8.GetString(bytes.AsSpan(0, Math.Min(bytes.Length, 128)));
        var rest = string.Concat(arguments.Skip(1).Take(8).Select(a => $"'{Show(a)}' "));
        return RedisReply.Error($"ERR unknown command '{Show(arguments[0])}', with args beginning with: {rest}");
    }
}
