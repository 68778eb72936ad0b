using ActorCache.Protocol;

namespace ActorCache.Commands;

/// <summary>Handlers of the generic key commands: existence, type, deletion, expiry and renaming.</summary>
internal static class KeyCommands
{
    public static RedisReply Del(CommandContext context)
    {
        var deleted = 0;
        for (var i = 1; i < context.Args.Length; i++)
        {
            if (context.Db.Get(context.Key(i)) is not null && context.Db.Delete(context.Key(i))) deleted++;
        }

        return RedisReply.Integer(deleted);
    }

    /// <summary>EXISTS and TOUCH: how many of the keys exist, a repeated key counted each time (the node keeps no access times to touch).</summary>
    public static RedisReply Exists(CommandContext context)
    {
        var count = 0;
        for (var i = 1; i < context.Args.Length; i++)
        {
            if (context.Db.Get(context.Key(i)) is not null) count++;
        }

        return RedisReply.Integer(count);
    }

    public static RedisReply Type(CommandContext context) =>
        new SimpleStringReply(context.Db.Get(context.Key(1))?.Value.TypeName ?? "none");

    public static RedisReply Expire(CommandContext context) => SetExpiry(context, 1000, relative: true, "expire");

    public static RedisReply PExpire(CommandContext context) => SetExpiry(context, 1, relative: true, "pexpire");

    public static RedisReply ExpireAt(CommandContext context) => SetExpiry(context, 1000, relative: false, "expireat");

    public static RedisReply PExpireAt(CommandContext context) => SetExpiry(context, 1, relative: false, "pexpireat");

    private static RedisReply SetExpiry(CommandContext context, long unitMs, bool relative, string command)
    {
        var key = context.Key(1);
        // Redis reads the options before the time: "EXPIRE k abc FOO" is an unsupported option, not a bad integer.
        bool nx = false, xx = false, gt = false, lt = false;
        for (var i = 3; i < context.Args.Length; i++)
        {
            if (context.Is(i, "NX")) nx = true;
            else if (context.Is(i, "XX")) xx = true;
            else if (context.Is(i, "GT")) gt = true;
            else if (context.Is(i, "LT")) lt = true;
            else return Errors.UnsupportedOption(context.Args[i]);
        }

        if (nx && (xx || gt || lt)) return RedisReply.Error("ERR NX and XX, GT or LT options at the same time are not compatible");
        if (gt && lt) return RedisReply.Error("ERR GT and LT options at the same time are not compatible");
        if (!Arguments.TryParseInt64(context.Args[2], out var amount)) return Errors.NotInteger;

        var now = context.Db.NowMs;
        var milliseconds = amount * unitMs;
        if (milliseconds / unitMs != amount) return Errors.InvalidExpireTime(command);
        var expireAt = relative ? now + milliseconds : milliseconds;
        if (relative && ((milliseconds > 0 && expireAt < now) || (milliseconds < 0 && expireAt > now))) return Errors.InvalidExpireTime(command);

        var entry = context.Db.Get(key);
        if (entry is null) return RedisReply.Zero;
        var current = entry.ExpireAtMs;
        // Redis treats "no expiry" as an infinite TTL when comparing with GT and LT.
        if ((nx && current != 0) || (xx && current == 0) || (gt && (current == 0 || expireAt <= current)) || (lt && current != 0 && expireAt >= current))
        {
            return RedisReply.Zero;
        }

        if (expireAt <= now) context.Db.Delete(key);
        else context.Db.SetExpiry(key, expireAt);
        return RedisReply.One;
    }

    public static RedisReply Ttl(CommandContext context) => TimeToLive(context, 1000, absolute: false);

    public static RedisReply PTtl(CommandContext context) => TimeToLive(context, 1, absolute: false);

    public static RedisReply ExpireTime(CommandContext context) => TimeToLive(context, 1000, absolute: true);

    public static RedisReply PExpireTime(CommandContext context) => TimeToLive(context, 1, absolute: true);

    /// <summary>
    /// TTL, PTTL, EXPIRETIME and PEXPIRETIME (Redis's ttlGenericCommand): -2 for a missing key, -1 without expiry,
    /// else the time left or the absolute unix time, rounded to the nearest unit.
    /// </summary>
    private static RedisReply TimeToLive(CommandContext context, long unitMs, bool absolute)
    {
        var entry = context.Db.Get(context.Key(1));
        if (entry is null) return RedisReply.Integer(-2);
        if (entry.ExpireAtMs == 0) return RedisReply.Integer(-1);
        var milliseconds = Math.Max(0, absolute ? entry.ExpireAtMs : entry.ExpireAtMs - context.Db.NowMs);
        // Rounded without overflowing near long.MaxValue, where Redis answers 9223372036854776 seconds.
        return RedisReply.Integer(milliseconds / unitMs + (milliseconds % unitMs + unitMs / 2) / unitMs);
    }

    public static RedisReply Persist(CommandContext context)
    {
        var key = context.Key(1);
        var entry = context.Db.Get(key);
        if (entry is null || entry.ExpireAtMs == 0) return RedisReply.Zero;
        context.Db.SetExpiry(key, 0);
        return RedisReply.One;
    }

    public static RedisReply Rename(CommandContext context) => Move(context, onlyIfAbsent: false);

    public static RedisReply RenameNx(CommandContext context) => Move(context, onlyIfAbsent: true);

    private static RedisReply Move(CommandContext context, bool onlyIfAbsent)
    {
        var source = context.Key(1);
        var target = context.Key(2);
        var entry = context.Db.Get(source);
        if (entry is null) return Errors.NoSuchKey;
        if (source.Equals(target)) return onlyIfAbsent ? RedisReply.Zero : RedisReply.Ok;
        if (onlyIfAbsent && context.Db.Get(target) is not null) return RedisReply.Zero;
        context.Db.Set(target, entry.Value, entry.ExpireAtMs);
        context.Db.Delete(source);
        return onlyIfAbsent ? RedisReply.One : RedisReply.Ok;
    }
}
