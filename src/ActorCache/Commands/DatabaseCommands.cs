using System.Globalization;
using ActorCache.Protocol;

namespace ActorCache.Commands;

/// <summary>Handlers of the commands that see a whole database (memory and disk together) or empty it.</summary>
internal static class DatabaseCommands
{
    public static RedisReply Keys(CommandContext context)
    {
        var pattern = context.Args[1];
        var all = pattern is [(byte)'*'];
        var keys = context.View.Keys.Where(k => all || GlobPattern.IsMatch(pattern, k)).Select(RedisReply.Bulk).ToArray();
        return new ArrayReply(keys);
    }

    public static RedisReply DbSize(CommandContext context) => RedisReply.Integer(context.View.Keys.Count);

    public static RedisReply RandomKey(CommandContext context)
    {
        var keys = context.View.Keys;
        return keys.Count == 0 ? RedisReply.Nil : RedisReply.Bulk(keys[Random.Shared.Next(keys.Count)]);
    }

    /// <summary>Reads SCAN's cursor and COUNT, so the keyspace knows which range of the disk to read.</summary>
    public static RedisReply? PlanScan(byte[][] args, out ScanRange range)
    {
        range = default;
        if (!TryParseCursor(args[1], out var cursor)) return Errors.InvalidCursor;
        var count = 10;
        for (var i = 2; i < args.Length; i++)
        {
            if (i + 1 >= args.Length) return Errors.Syntax;
            if (Arguments.EqualsIgnoreCase(args[i], "COUNT"))
            {
                if (!Arguments.TryParseInt64(args[i + 1], out var n)) return Errors.NotInteger;
                if (n < 1) return Errors.Syntax;
                count = (int)Math.Min(n, 1_000_000);
            }
            else if (!Arguments.EqualsIgnoreCase(args[i], "MATCH") && !Arguments.EqualsIgnoreCase(args[i], "TYPE"))
            {
                return Errors.Syntax;
            }

            i++;
        }

        range = new ScanRange(cursor, count);
        return null;
    }

    /// <summary>
    /// Reads a cursor as Redis does with strtoul: optional sign, decimal digits, no spaces, no overflow; a negative
    /// number wraps around and the empty string is cursor 0.
    /// </summary>
    private static bool TryParseCursor(ReadOnlySpan<byte> text, out ulong cursor)
    {
        cursor = 0;
        if (text.Length == 0) return true;
        var negative = text[0] == '-';
        var digits = text[0] is (byte)'+' or (byte)'-' ? text[1..] : text;
        if (digits.Length == 0) return false;
        ulong magnitude = 0;
        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9') return false;
            if (magnitude > (ulong.MaxValue - (ulong)(b - '0')) / 10) return false;
            magnitude = magnitude * 10 + (ulong)(b - '0');
        }

        cursor = negative ? 0 - magnitude : magnitude;
        return true;
    }

    public static RedisReply Scan(CommandContext context)
    {
        byte[]? pattern = null;
        string? type = null;
        for (var i = 2; i + 1 < context.Args.Length; i += 2)
        {
            // MATCH * is no filter at all (it would not match the empty key).
            if (context.Is(i, "MATCH")) pattern = context.Args[i + 1] is [(byte)'*'] ? null : context.Args[i + 1];
            else if (context.Is(i, "TYPE")) type = System.Text.Encoding.UTF8.GetString(context.Args[i + 1]).ToLowerInvariant();
        }

        var keys = new List<RedisReply>();
        foreach (var key in context.View.Keys)
        {
            if (pattern is not null && !GlobPattern.IsMatch(pattern, key)) continue;
            if (type is not null && !string.Equals(TypeOf(context, key), type, StringComparison.Ordinal)) continue;
            keys.Add(RedisReply.Bulk(key));
        }

        var cursor = context.View.NextCursor.ToString(CultureInfo.InvariantCulture);
        return new ArrayReply([RedisReply.Bulk(cursor), new ArrayReply(keys)]);
    }

    // Keys only on disk are strings today; once other types exist the view will carry each key's kind.
    private static string TypeOf(CommandContext context, byte[] key) =>
        context.Db.Peek(new Keyspace.CacheKey(key))?.Value.TypeName ?? "string";

    public static RedisReply FlushDb(CommandContext context)
    {
        if (!HasValidFlushOption(context)) return Errors.Syntax;
        context.Keyspace.FlushDatabase();
        return RedisReply.Ok;
    }

    /// <summary>
    /// Only checks FLUSHALL's arguments: emptying every database is the node's work, which the keyspace asks for
    /// when this returns OK, answering the client once every database is empty.
    /// </summary>
    public static RedisReply FlushAll(CommandContext context) => HasValidFlushOption(context) ? RedisReply.Ok : Errors.Syntax;

    private static bool HasValidFlushOption(CommandContext context) =>
        context.Args.Length == 1 || (context.Args.Length == 2 && (context.Is(1, "ASYNC") || context.Is(1, "SYNC")));
}
