using System.Globalization;
using System.Text;
using ActorCache.Protocol;

namespace ActorCache.Tests.Model;

/// <summary>
/// A plain in-memory model of one Redis 7 database restricted to strings, written from Redis's own source
/// (t_string.c, expire.c, db.c) rather than from the node's handlers, so that the model-based spec compares the node
/// with Redis and not with itself. It reads the time from the same clock as the node. Only the commands the
/// generator produces are modelled, with the arities it produces.
/// </summary>
/// <param name="nowMs">The clock, in unix milliseconds.</param>
/// <param name="expiredAtDeadline">
/// False (Redis): a key whose expiry time equals now still exists, with a TTL of 0. True: it is already gone (for
/// exploring past that one known difference).
/// </param>
internal sealed class RedisModel(Func<long> nowMs, bool expiredAtDeadline = false)
{
    public const string NotInteger = "ERR value is not an integer or out of range";
    public const string Overflow = "ERR increment or decrement would overflow";
    public const string Syntax = "ERR syntax error";
    public const string NoSuchKey = "ERR no such key";

    private readonly Dictionary<string, Item> _data = new(StringComparer.Ordinal);

    /// <summary>The live keys now, in ordinal order (what KEYS * and a full SCAN must return).</summary>
    public IReadOnlyList<string> LiveKeys()
    {
        var now = nowMs();
        return _data.Where(kv => !IsExpired(kv.Value, now)).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Runs one command and returns Redis's reply. KEYS and SCAN are answered by the runner from <see cref="LiveKeys"/>.</summary>
    public RedisReply Apply(IReadOnlyList<string> args)
    {
        var a = args.ToArray();
        return a[0].ToUpperInvariant() switch
        {
            "GET" => Get(a[1]),
            "SET" => Set(a),
            "DEL" => Del(a),
            "EXISTS" => Exists(a),
            "INCR" => IncrBy(a[1], "1"),
            "INCRBY" => IncrBy(a[1], a[2]),
            "APPEND" => Append(a[1], a[2]),
            "STRLEN" => RedisReply.Integer(Encoding.UTF8.GetByteCount(Lookup(a[1])?.Value ?? "")),
            "GETDEL" => GetDel(a[1]),
            "GETSET" => GetSet(a[1], a[2]),
            "MGET" => new ArrayReply(a.Skip(1).Select(Get).ToArray()),
            "MSET" => MSet(a),
            "RENAME" => Rename(a[1], a[2]),
            "EXPIRE" => Expire(a, 1000),
            "PEXPIRE" => Expire(a, 1),
            "TTL" => Ttl(a[1], seconds: true),
            "PTTL" => Ttl(a[1], seconds: false),
            "PERSIST" => Persist(a[1]),
            "DBSIZE" => RedisReply.Integer(LiveKeys().Count),
            "KEYS" => new ArrayReply(LiveKeys().Select(RedisReply.Bulk).ToArray()),
            "FLUSHDB" => FlushDb(),
            _ => throw new NotSupportedException("the model does not know " + a[0]),
        };
    }

    /// <summary>Redis's string2ll: optional '-', digits without leading zeros, no '+', no spaces, no overflow, at most 20 chars.</summary>
    public static bool TryParseLong(string text, out long value)
    {
        value = 0;
        if (text.Length is 0 or >= 21) return false;
        if (text == "0") return true;
        var negative = text[0] == '-';
        var digits = negative ? text[1..] : text;
        if (digits.Length == 0 || digits[0] is < '1' or > '9') return false;
        foreach (var c in digits)
        {
            if (c is < '0' or > '9') return false;
        }

        // BigInteger-free range check: parse as decimal, which holds every 20-digit number.
        var magnitude = decimal.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        var signed = negative ? -magnitude : magnitude;
        if (signed < long.MinValue || signed > long.MaxValue) return false;
        value = (long)signed;
        return true;
    }

    private sealed record Item(string Value, long ExpireAtMs);

    // Redis keyIsExpired: a key with an expiry is expired once now > when; at now == when it is still there.
    private bool IsExpired(Item item, long now) => item.ExpireAtMs != 0 && (now > item.ExpireAtMs || (expiredAtDeadline && now == item.ExpireAtMs));

    /// <summary>lookupKey: the live item, an expired one is deleted on the way.</summary>
    private Item? Lookup(string key)
    {
        if (!_data.TryGetValue(key, out var item)) return null;
        if (!IsExpired(item, nowMs())) return item;
        _data.Remove(key);
        return null;
    }

    private static RedisReply Bulk(Item? item) => item is null ? RedisReply.Nil : RedisReply.Bulk(item.Value);

    private static RedisReply Error(string message) => RedisReply.Error(message);

    private static RedisReply InvalidExpireTime(string command) => Error($"ERR invalid expire time in '{command}' command");

    private RedisReply Get(string key) => Bulk(Lookup(key));

    // t_string.c parseExtendedStringArgumentsOrReply + setGenericCommand: all options are parsed first (syntax errors
    // win), then the expire argument is read, then GET's read, then the NX/XX condition.
    private RedisReply Set(string[] a)
    {
        bool nx = false, xx = false, get = false, keepTtl = false, ex = false, px = false;
        string? expire = null;
        for (var j = 3; j < a.Length; j++)
        {
            var opt = a[j].ToUpperInvariant();
            var hasNext = j + 1 < a.Length;
            if (opt == "NX" && !xx) nx = true;
            else if (opt == "XX" && !nx) xx = true;
            else if (opt == "GET") get = true;
            else if (opt == "KEEPTTL" && !ex && !px) keepTtl = true;
            else if (opt == "EX" && !keepTtl && !px && hasNext)
            {
                ex = true;
                expire = a[++j];
            }
            else if (opt == "PX" && !keepTtl && !ex && hasNext)
            {
                px = true;
                expire = a[++j];
            }
            else return Error(Syntax);
        }

        long expireAt = 0;
        if (expire is not null)
        {
            if (!TryParseLong(expire, out var amount)) return Error(NotInteger);
            if (amount <= 0 || (ex && amount > long.MaxValue / 1000)) return InvalidExpireTime("set");
            var milliseconds = ex ? amount * 1000 : amount;
            if (milliseconds > long.MaxValue - nowMs()) return InvalidExpireTime("set");
            expireAt = milliseconds + nowMs();
        }

        var old = Lookup(a[1]);
        if ((nx && old is not null) || (xx && old is null)) return get ? Bulk(old) : RedisReply.Nil;
        var keptExpiry = keepTtl && old is not null ? old.ExpireAtMs : 0;
        _data[a[1]] = new Item(a[2], expire is not null ? expireAt : keptExpiry);
        return get ? Bulk(old) : RedisReply.Ok;
    }

    private RedisReply Del(string[] a)
    {
        var deleted = 0;
        foreach (var key in a.Skip(1))
        {
            if (Lookup(key) is not null && _data.Remove(key)) deleted++;
        }

        return RedisReply.Integer(deleted);
    }

    private RedisReply Exists(string[] a) => RedisReply.Integer(a.Skip(1).Count(key => Lookup(key) is not null));

    // t_string.c incrbyCommand / incrDecrCommand: the increment is read before the key.
    private RedisReply IncrBy(string key, string increment)
    {
        if (!TryParseLong(increment, out var incr)) return Error(NotInteger);
        var old = Lookup(key);
        long value = 0;
        if (old is not null && !TryParseLong(old.Value, out value)) return Error(NotInteger);
        if ((incr < 0 && value < 0 && incr < long.MinValue - value) || (incr > 0 && value > 0 && incr > long.MaxValue - value))
        {
            return Error(Overflow);
        }

        var result = value + incr;
        // The value changes in place: the TTL stays.
        _data[key] = new Item(result.ToString(CultureInfo.InvariantCulture), old?.ExpireAtMs ?? 0);
        return RedisReply.Integer(result);
    }

    private RedisReply Append(string key, string suffix)
    {
        var old = Lookup(key);
        var value = (old?.Value ?? "") + suffix;
        _data[key] = new Item(value, old?.ExpireAtMs ?? 0);
        return RedisReply.Integer(Encoding.UTF8.GetByteCount(value));
    }

    private RedisReply GetDel(string key)
    {
        var old = Lookup(key);
        if (old is not null) _data.Remove(key);
        return Bulk(old);
    }

    // GETSET is SET without KEEPTTL: the TTL goes.
    private RedisReply GetSet(string key, string value)
    {
        var old = Lookup(key);
        _data[key] = new Item(value, 0);
        return Bulk(old);
    }

    private RedisReply MSet(string[] a)
    {
        for (var i = 1; i + 1 < a.Length; i += 2) _data[a[i]] = new Item(a[i + 1], 0);
        return RedisReply.Ok;
    }

    // db.c renameGenericCommand: a missing source is an error even when source == target; the TTL moves along.
    private RedisReply Rename(string source, string target)
    {
        var item = Lookup(source);
        if (item is null) return Error(NoSuchKey);
        if (source == target) return RedisReply.Ok;
        _data.Remove(target);
        _data[target] = item;
        _data.Remove(source);
        return RedisReply.Ok;
    }

    // expire.c expireGenericCommand: the NX/XX/GT/LT flags are parsed and checked first, then the time argument,
    // then the overflow checks, then the key; a time in the past deletes the key (and still answers 1).
    private RedisReply Expire(string[] a, long unitMs)
    {
        bool nx = false, xx = false, gt = false, lt = false;
        for (var j = 3; j < a.Length; j++)
        {
            switch (a[j].ToUpperInvariant())
            {
                case "NX": nx = true; break;
                case "XX": xx = true; break;
                case "GT": gt = true; break;
                case "LT": lt = true; break;
                default: return Error("ERR Unsupported option " + a[j]);
            }
        }

        if (nx && (xx || gt || lt)) return Error("ERR NX and XX, GT or LT options at the same time are not compatible");
        if (gt && lt) return Error("ERR GT and LT options at the same time are not compatible");

        var command = unitMs == 1000 ? "expire" : "pexpire";
        if (!TryParseLong(a[2], out var when)) return Error(NotInteger);
        if (unitMs == 1000)
        {
            if (when > long.MaxValue / 1000 || when < long.MinValue / 1000) return InvalidExpireTime(command);
            when *= 1000;
        }

        var now = nowMs();
        if (when > long.MaxValue - now) return InvalidExpireTime(command);
        when += now;

        var item = Lookup(a[1]);
        if (item is null) return RedisReply.Zero;
        var current = item.ExpireAtMs == 0 ? -1 : item.ExpireAtMs;
        if (nx && current != -1) return RedisReply.Zero;
        if (xx && current == -1) return RedisReply.Zero;
        if (gt && (when <= current || current == -1)) return RedisReply.Zero;
        if (lt && current != -1 && when >= current) return RedisReply.Zero;

        // checkAlreadyExpired: when <= now deletes the key at once.
        if (when <= now) _data.Remove(a[1]);
        else _data[a[1]] = item with { ExpireAtMs = when };
        return RedisReply.One;
    }

    // expire.c ttlGenericCommand: -2 missing, -1 no TTL, else max(0, when - now), TTL rounded to the nearest second.
    private RedisReply Ttl(string key, bool seconds)
    {
        var item = Lookup(key);
        if (item is null) return RedisReply.Integer(-2);
        if (item.ExpireAtMs == 0) return RedisReply.Integer(-1);
        var ttl = Math.Max(0, item.ExpireAtMs - nowMs());
        return RedisReply.Integer(seconds ? (ttl + 500) / 1000 : ttl);
    }

    private RedisReply Persist(string key)
    {
        var item = Lookup(key);
        if (item is null || item.ExpireAtMs == 0) return RedisReply.Zero;
        _data[key] = item with { ExpireAtMs = 0 };
        return RedisReply.One;
    }

    private RedisReply FlushDb()
    {
        _data.Clear();
        return RedisReply.Ok;
    }
}
