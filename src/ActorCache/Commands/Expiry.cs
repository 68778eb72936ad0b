using ActorCache.Protocol;

namespace ActorCache.Commands;

/// <summary>Turning EX / PX / EXAT / PXAT arguments into absolute unix-millisecond expiries.</summary>
internal static class Expiry
{
    /// <summary>
    /// Reads the time argument after an EX, PX, EXAT or PXAT <paramref name="unit"/> word into an absolute expiry.
    /// Returns an error reply for a non-integer or a non-positive time, as Redis does.
    /// </summary>
    public static RedisReply? TryParse(string unit, ReadOnlySpan<byte> argument, long nowMs, string command, out long expireAtMs)
    {
        expireAtMs = 0;
        if (!Arguments.TryParseInt64(argument, out var amount)) return Errors.NotInteger;
        if (amount <= 0) return Errors.InvalidExpireTime(command);
        var absolute = unit is "EX" or "PX" ? nowMs : 0;
        var milliseconds = unit is "EX" or "EXAT" ? amount * 1000 : amount;
        if (unit is "EX" or "EXAT" && milliseconds / 1000 != amount) return Errors.InvalidExpireTime(command);
        if (long.MaxValue - absolute < milliseconds) return Errors.InvalidExpireTime(command);
        expireAtMs = absolute + milliseconds;
        return null;
    }

    /// <summary>The unit word at <paramref name="index"/> (EX, PX, EXAT, PXAT) in upper case, or null.</summary>
    public static string? UnitAt(CommandContext context, int index)
    {
        foreach (var unit in (string[])["EX", "PX", "EXAT", "PXAT"])
        {
            if (context.Is(index, unit)) return unit;
        }

        return null;
    }
}
