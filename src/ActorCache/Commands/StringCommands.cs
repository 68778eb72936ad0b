using ActorCache.Keyspace;
using ActorCache.Protocol;

namespace ActorCache.Commands;

/// <summary>Handlers of the string commands.</summary>
internal static class StringCommands
{
    /// <summary>
    /// Reads the string at <paramref name="key"/>: null bytes when absent; an error reply when it holds another type.
    /// </summary>
    public static RedisReply? TryReadString(CommandContext context, CacheKey key, out byte[]? bytes)
    {
        bytes = null;
        var entry = context.Db.Get(key);
        if (entry is null) return null;
        if (entry.Value is not StringValue text) return Errors.WrongType;
        bytes = text.Bytes;
        return null;
    }

    public static RedisReply Get(CommandContext context) =>
        TryReadString(context, context.Key(1), out var bytes) ?? RedisReply.Bulk(bytes);

    public static RedisReply Set(CommandContext context)
    {
        var key = context.Key(1);
        var value = context.Args[2];
        bool nx = false, xx = false, get = false, keepTtl = false;
        string? unit = null;
        var timeIndex = 0;
        // As Redis: every option is checked for syntax first (an expiry unit may repeat, the last one counts), and
        // only then is the expire time read.
        for (var i = 3; i < context.Args.Length; i++)
        {
            if (context.Is(i, "NX") && !xx) nx = true;
            else if (context.Is(i, "XX") && !nx) xx = true;
            else if (context.Is(i, "GET")) get = true;
            else if (context.Is(i, "KEEPTTL") && unit is null) keepTtl = true;
            else if (Expiry.UnitAt(context, i) is { } u && (unit is null || unit == u) && !keepTtl && i + 1 < context.Args.Length)
            {
                unit = u;
                timeIndex = ++i;
            }
            else return Errors.Syntax;
        }

        long expireAt = 0;
        if (unit is not null && Expiry.TryParse(unit, context.Args[timeIndex], context.Db.NowMs, "set", out expireAt) is { } error) return error;
        if (value.Length > context.Settings.MaxValueSize) return Errors.TooLarge;
        byte[]? old = null;
        if (get && TryReadString(context, key, out old) is { } wrongType) return wrongType;
        var existing = context.Db.Get(key);
        if ((nx && existing is not null) || (xx && existing is null)) return get ? RedisReply.Bulk(old) : RedisReply.Nil;
        if (keepTtl && existing is not null) expireAt = existing.ExpireAtMs;
        context.Db.Set(key, new StringValue(value), expireAt);
        return get ? RedisReply.Bulk(old) : RedisReply.Ok;
    }

    /// <summary>SET reads the old value only for NX, XX, GET and KEEPTTL.</summary>
    public static bool SetIsBlind(byte[][] arguments)
    {
        for (var i = 3; i < arguments.Length; i++)
        {
            var a = arguments[i];
            if (Arguments.EqualsIgnoreCase(a, "NX") || Arguments.EqualsIgnoreCase(a, "XX") || Arguments.EqualsIgnoreCase(a, "GET")
                || Arguments.EqualsIgnoreCase(a, "KEEPTTL"))
            {
                return false;
            }
        }

        return true;
    }

    public static RedisReply SetNx(CommandContext context)
    {
        var key = context.Key(1);
        if (context.Args[2].Length > context.Settings.MaxValueSize) return Errors.TooLarge;
        if (context.Db.Get(key) is not null) return RedisReply.Zero;
        context.Db.Set(key, new StringValue(context.Args[2]), 0);
        return RedisReply.One;
    }

    public static RedisReply SetEx(CommandContext context) => SetWithExpiry(context, "EX", "setex");

    public static RedisReply PSetEx(CommandContext context) => SetWithExpiry(context, "PX", "psetex");

    private static RedisReply SetWithExpiry(CommandContext context, string unit, string command)
    {
        if (Expiry.TryParse(unit, context.Args[2], context.Db.NowMs, command, out var expireAt) is { } error) return error;
        if (context.Args[3].Length > context.Settings.MaxValueSize) return Errors.TooLarge;
        context.Db.Set(context.Key(1), new StringValue(context.Args[3]), expireAt);
        return RedisReply.Ok;
    }

    public static RedisReply GetSet(CommandContext context)
    {
        var key = context.Key(1);
        if (TryReadString(context, key, out var old) is { } error) return error;
        if (context.Args[2].Length > context.Settings.MaxValueSize) return Errors.TooLarge;
        context.Db.Set(key, new StringValue(context.Args[2]), 0);
        return RedisReply.Bulk(old);
    }

    public static RedisReply GetDel(CommandContext context)
    {
        var key = context.Key(1);
        if (TryReadString(context, key, out var old) is { } error) return error;
        if (old is not null) context.Db.Delete(key);
        return RedisReply.Bulk(old);
    }

    public static RedisReply GetEx(CommandContext context)
    {
        var key = context.Key(1);
        var persist = false;
        string? unit = null;
        var timeIndex = 0;
        // Redis's order: syntax of every option, then the key (absent → nil, another type → WRONGTYPE), and only then
        // the expire time, so GETEX of a missing key with a bad time is nil, not an error.
        for (var i = 2; i < context.Args.Length; i++)
        {
            if (context.Is(i, "PERSIST") && unit is null) persist = true;
            else if (Expiry.UnitAt(context, i) is { } u && (unit is null || unit == u) && !persist && i + 1 < context.Args.Length)
            {
                unit = u;
                timeIndex = ++i;
            }
            else return Errors.Syntax;
        }

        if (TryReadString(context, key, out var value) is { } wrongType) return wrongType;
        if (value is null) return RedisReply.Nil;
        if (unit is not null)
        {
            if (Expiry.TryParse(unit, context.Args[timeIndex], context.Db.NowMs, "getex", out var expireAt) is { } error) return error;
            // An EXAT or PXAT in the past deletes the key, as Redis does; the value read is still the reply.
            if (expireAt <= context.Db.NowMs) context.Db.Delete(key);
            else context.Db.SetExpiry(key, expireAt);
        }
        else if (persist && context.Db.Peek(key)!.ExpireAtMs != 0)
        {
            context.Db.SetExpiry(key, 0);
        }

        return RedisReply.Bulk(value);
    }

    public static RedisReply MGet(CommandContext context)
    {
        var replies = new RedisReply[context.Args.Length - 1];
        for (var i = 1; i < context.Args.Length; i++)
        {
            var entry = context.Db.Get(context.Key(i));
            replies[i - 1] = entry?.Value is StringValue text ? RedisReply.Bulk(text.Bytes) : RedisReply.Nil;
        }

        return new ArrayReply(replies);
    }

    public static RedisReply MSet(CommandContext context)
    {
        if (context.Args.Length % 2 == 0) return Errors.WrongArity("mset");
        if (AnyValueTooLarge(context)) return Errors.TooLarge;
        for (var i = 1; i < context.Args.Length; i += 2) context.Db.Set(context.Key(i), new StringValue(context.Args[i + 1]), 0);
        return RedisReply.Ok;
    }

    public static RedisReply MSetNx(CommandContext context)
    {
        if (context.Args.Length % 2 == 0) return Errors.WrongArity("msetnx");
        if (AnyValueTooLarge(context)) return Errors.TooLarge;
        for (var i = 1; i < context.Args.Length; i += 2)
        {
            if (context.Db.Get(context.Key(i)) is not null) return RedisReply.Zero;
        }

        for (var i = 1; i < context.Args.Length; i += 2) context.Db.Set(context.Key(i), new StringValue(context.Args[i + 1]), 0);
        return RedisReply.One;
    }

    private static bool AnyValueTooLarge(CommandContext context)
    {
        for (var i = 2; i < context.Args.Length; i += 2)
        {
            if (context.Args[i].Length > context.Settings.MaxValueSize) return true;
        }

        return false;
    }

    public static RedisReply Append(CommandContext context)
    {
        var key = context.Key(1);
        if (TryReadString(context, key, out var old) is { } error) return error;
        var suffix = context.Args[2];
        var length = (long)(old?.Length ?? 0) + suffix.Length;
        if (length > context.Settings.MaxValueSize) return Errors.TooLarge;
        var combined = old is null ? suffix : [.. old, .. suffix];
        context.Db.Replace(key, new StringValue(combined));
        return RedisReply.Integer(combined.Length);
    }

    public static RedisReply StrLen(CommandContext context) =>
        TryReadString(context, context.Key(1), out var bytes) ?? RedisReply.Integer(bytes?.Length ?? 0);

    public static RedisReply GetRange(CommandContext context)
    {
        if (!Arguments.TryParseInt64(context.Args[2], out var start) || !Arguments.TryParseInt64(context.Args[3], out var end))
        {
            return Errors.NotInteger;
        }

        if (TryReadString(context, context.Key(1), out var bytes) is { } error) return error;
        if (bytes is null || bytes.Length == 0) return RedisReply.Bulk([]);
        long length = bytes.Length;
        if (start < 0 && end < 0 && start > end) return RedisReply.Bulk([]);
        if (start < 0) start = Math.Max(0, length + start);
        if (end < 0) end = Math.Max(0, length + end);
        end = Math.Min(end, length - 1);
        return start > end ? RedisReply.Bulk([]) : RedisReply.Bulk(bytes[(int)start..(int)(end + 1)]);
    }

    public static RedisReply SetRange(CommandContext context)
    {
        var key = context.Key(1);
        if (!Arguments.TryParseInt64(context.Args[2], out var offset)) return Errors.NotInteger;
        if (offset < 0) return Errors.OffsetOutOfRange;
        if (TryReadString(context, key, out var old) is { } error) return error;
        var patch = context.Args[3];
        if (patch.Length == 0) return RedisReply.Integer(old?.Length ?? 0);
        // Written so that a huge offset cannot overflow the sum, as Redis's checkStringLength.
        if (offset > context.Settings.MaxValueSize - patch.Length) return Errors.TooLarge;
        var length = Math.Max(old?.Length ?? 0, (int)offset + patch.Length);
        var bytes = new byte[length];
        old?.CopyTo(bytes, 0);
        patch.CopyTo(bytes, (int)offset);
        context.Db.Replace(key, new StringValue(bytes));
        return RedisReply.Integer(length);
    }

    public static RedisReply Incr(CommandContext context) => IncrementBy(context, 1);

    public static RedisReply Decr(CommandContext context) => IncrementBy(context, -1);

    public static RedisReply IncrBy(CommandContext context) =>
        Arguments.TryParseInt64(context.Args[2], out var delta) ? IncrementBy(context, delta) : Errors.NotInteger;

    public static RedisReply DecrBy(CommandContext context)
    {
        if (!Arguments.TryParseInt64(context.Args[2], out var delta)) return Errors.NotInteger;
        // Negating LLONG_MIN overflows before the key is even looked at.
        return delta == long.MinValue ? Errors.DecrementOverflow : IncrementBy(context, -delta);
    }

    private static RedisReply IncrementBy(CommandContext context, long delta)
    {
        var key = context.Key(1);
        if (TryReadString(context, key, out var old) is { } error) return error;
        long current = 0;
        if (old is not null && !Arguments.TryParseInt64(old, out current)) return Errors.NotInteger;
        if ((delta > 0 && current > long.MaxValue - delta) || (delta < 0 && current < long.MinValue - delta)) return Errors.Overflow;
        var result = current + delta;
        context.Db.Replace(key, new StringValue(Arguments.FormatInt64(result)));
        return RedisReply.Integer(result);
    }

    public static RedisReply IncrByFloat(CommandContext context)
    {
        // Redis's order: the key's type, then its value, then the increment; the sum is an x87 long double.
        var key = context.Key(1);
        if (TryReadString(context, key, out var old) is { } error) return error;
        var current = default(LongDouble);
        if (old is not null && !LongDouble.TryParse(old, out current)) return Errors.NotFloat;
        if (!LongDouble.TryParse(context.Args[2], out var delta)) return Errors.NotFloat;
        var result = current + delta;
        if (result.IsInfinity) return Errors.NaNOrInfinity;
        var text = System.Text.Encoding.ASCII.GetBytes(result.ToHumanString());
        context.Db.Replace(key, new StringValue(text));
        return RedisReply.Bulk(text);
    }
}
