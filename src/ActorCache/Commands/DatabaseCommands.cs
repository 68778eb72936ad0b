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
        if (!ulong.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var cursor)) return Errors.InvalidCursor;
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

    public static RedisReply Scan(CommandContext context)
    {
        byte[]? pattern = null;
        string? type = null;
        for (var i = 2; i + 1 < context.Args.Length; i += 2)
        {
            if (context.Is(i, "MATCH")) pattern = context.Args[i + 1];
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
        if (context.Args.Length > 2 || (context.Args.Length == 2 && !context.Is(1, "ASYNC") && !context.Is(1, "SYNC")))
        {
            return Errors.Syntax;
        }

        context.Keyspace.FlushDatabase();
        return RedisReply.Ok;
    }
}
