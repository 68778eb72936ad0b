using System.Globalization;
using System.Text;
using ActorCache.Commands;
using ActorCache.Protocol;
using ActorCache.Settings;
using Akka.Configuration;

namespace ActorCache.Resp.Commands;

/// <summary>
/// CONFIG GET pattern [pattern ...] | SET name value [name value ...] | RESETSTAT | REWRITE | HELP, over the node's
/// cache settings and the RESP server's. Durations read and print as milliseconds (or take a HOCON duration such as
/// "2 s"); sizes as bytes (or "64mb", "64 MiB"). A SET changes all its parameters or none.
/// </summary>
internal static class ConfigCommand
{
    private sealed record Parameter(string Name, Func<RespServer, string> Get, Func<string, Change>? Parse = null);

    /// <summary>A parsed new value: what it does to the node's settings and to the RESP server's.</summary>
    private sealed record Change(Func<CacheSettings, CacheSettings>? Node = null, Func<RespSettings, RespSettings>? Resp = null);

    private static readonly Parameter[] Parameters =
    [
        new("databases", s => Number(s.Node.Settings.Databases)),
        new("dir", s => s.Node.Settings.DataDirectory),
        new("backend", s => s.Node.Settings.Backend),
        new("cache-flush-delay", s => Millis(s.Node.Settings.CacheFlushDelay), v => Node(Duration(v), (c, x) => c with { CacheFlushDelay = x })),
        new("max-in-flight", s => Number(s.Node.Settings.MaxInFlight), v => Node(Int(v), (c, x) => c with { MaxInFlight = x })),
        new("save-batch-size", s => Number(s.Node.Settings.SaveBatchSize), v => Node(Int(v), (c, x) => c with { SaveBatchSize = x })),
        new("load-batch-size", s => Number(s.Node.Settings.LoadBatchSize), v => Node(Int(v), (c, x) => c with { LoadBatchSize = x })),
        new("negative-cache-max-entries", s => Number(s.Node.Settings.NegativeCacheMaxEntries)),
        new("save-retry-min-backoff", s => Millis(s.Node.Settings.SaveRetryMinBackoff), v => Node(Duration(v), (c, x) => c with { SaveRetryMinBackoff = x })),
        new("save-retry-max-backoff", s => Millis(s.Node.Settings.SaveRetryMaxBackoff), v => Node(Duration(v), (c, x) => c with { SaveRetryMaxBackoff = x })),
        new("active-expire-interval", s => Millis(s.Node.Settings.ActiveExpireInterval), v => Node(Duration(v), (c, x) => c with { ActiveExpireInterval = x })),
        new("active-expire-samples", s => Number(s.Node.Settings.ActiveExpireSamples), v => Node(Int(v), (c, x) => c with { ActiveExpireSamples = x })),
        new("max-value-size", s => Number(s.Node.Settings.MaxValueSize), v => Node(Size(v), (c, x) => c with { MaxValueSize = x })),
        new("shutdown-flush-timeout", s => Millis(s.Node.Settings.ShutdownFlushTimeout)),
        new("cache-max-memory", s => Number(s.Node.Settings.CacheMaxMemory), v => Node(Size(v), (c, x) => c with { CacheMaxMemory = x })),
        new("cache-eviction-samples", s => Number(s.Node.Settings.CacheEvictionSamples), v => Node(Int(v), (c, x) => c with { CacheEvictionSamples = x })),
        new("max-write-wait", s => Millis(s.Node.Settings.MaxWriteWait), v => Node(Duration(v), (c, x) => c with { MaxWriteWait = x })),
        new("request-timeout", s => Millis(s.Node.Settings.RequestTimeout), v => Node(Duration(v), (c, x) => c with { RequestTimeout = x })),
        // Read only: it decides at start whether the store syncs every write.
        new("durability", s => s.Node.Settings.Durability == ActorCache.Settings.Durability.WriteThrough ? "write-through" : "write-behind"),
        new("bind", s => s.Settings.Host),
        new("port", s => Number(s.EndPoint.Port)),
        new("requirepass", s => s.Settings.RequirePass ?? "", v => Resp(v.Length == 0 ? null : v, (r, x) => r with { RequirePass = x })),
        new("maxclients", s => Number(s.Settings.MaxClients), v => Resp(Positive(Int(v)), (r, x) => r with { MaxClients = x })),
        new("timeout", s => Number((long)s.Settings.IdleTimeout.TotalSeconds), v => Resp(TimeSpan.FromSeconds(NotNegative(Int(v))), (r, x) => r with { IdleTimeout = x })),
        new("proto-max-bulk-len", s => Number(s.Settings.Limits.MaxBulkLength), v => Resp(AtLeast(Size(v), RespSettings.MinimumRequestLimit), (r, x) => r with { Limits = r.Limits with { MaxBulkLength = x } })),
        new("client-query-buffer-limit", s => Number(s.Settings.Limits.MaxQueryBufferLength), v => Resp(AtLeast(Size(v), RespSettings.MinimumRequestLimit), (r, x) => r with { Limits = r.Limits with { MaxQueryBufferLength = x } })),
        new("max-pending-replies", s => Number(s.Settings.MaxPendingReplies), v => Resp(Positive(Int(v)), (r, x) => r with { MaxPendingReplies = x })),
        // Asked by redis-benchmark and other tools; the node has neither RDB save points nor an AOF.
        new("save", _ => ""),
        new("appendonly", _ => "no"),
    ];

    public static async ValueTask<FrontEndReply> Run(RespConnection connection, byte[][] arguments)
    {
        var subcommand = Encoding.ASCII.GetString(arguments[1]).ToUpperInvariant();
        var server = connection.Server;
        switch (subcommand)
        {
            case "GET" when arguments.Length >= 3:
                return Get(server, arguments[2..]);
            case "SET" when arguments.Length >= 4 && arguments.Length % 2 == 0:
                return await SetAsync(server, arguments[2..]);
            case "RESETSTAT" when arguments.Length == 2:
                server.Statistics.Reset();
                return new FrontEndReply(RedisReply.Ok);
            case "HELP" when arguments.Length == 2:
                return new FrontEndReply(new ArrayReply(Help.Select(RedisReply.Bulk).ToArray()));
            case "REWRITE" when arguments.Length == 2:
                return new FrontEndReply(RedisReply.Error("ERR CONFIG REWRITE is not supported: put lasting settings in the node's HOCON file"));
            case "GET" or "SET" or "RESETSTAT" or "REWRITE" or "HELP":
                return new FrontEndReply(RedisReply.Error($"ERR wrong number of arguments for 'config|{subcommand.ToLowerInvariant()}' command"));
            default:
                return new FrontEndReply(Replies.UnknownSubcommand("config", arguments[1]));
        }
    }

    private static readonly string[] Help =
    [
        "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET <pattern>", "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value> [<directive> <value> ...]", "    Set the configuration <directive> to <value>: all of them or none.",
        "RESETSTAT", "    Reset statistics reported by the INFO command.",
        "REWRITE", "    Not supported: lasting settings belong in the node's HOCON file.",
        "HELP", "    Print this help.",
    ];

    private static RedisReply Get(RespServer server, byte[][] patterns)
    {
        // Parameter names are lower case and Redis matches them ignoring case.
        var lowered = patterns.Select(pattern => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(pattern).ToLowerInvariant())).ToList();
        var matching = Parameters.Where(p => lowered.Any(pattern => GlobPattern.IsMatch(pattern, Encoding.ASCII.GetBytes(p.Name))));
        return new MapReply(matching.Select(p => ((RedisReply)RedisReply.Bulk(p.Name), RedisReply.Bulk(p.Get(server)))).ToArray());
    }

    private static async Task<RedisReply> SetAsync(RespServer server, byte[][] pairs)
    {
        var changes = new List<Change>();
        var names = new HashSet<string>();
        var reachable = !RespSettings.IsLoopback(server.Settings.Host);
        for (var i = 0; i < pairs.Length; i += 2)
        {
            var name = Encoding.UTF8.GetString(pairs[i]).ToLowerInvariant();
            var parameter = Array.Find(Parameters, p => p.Name == name);
            if (parameter is null) return RedisReply.Error($"ERR Unknown option or number of arguments for CONFIG SET - '{name}'");
            if (!names.Add(name)) return RedisReply.Error($"ERR CONFIG SET failed (possibly related to argument '{name}') - duplicate parameter");
            if (parameter.Parse is null) return RedisReply.Error($"ERR CONFIG SET failed (possibly related to argument '{name}') - can't set immutable config");
            if (name == "requirepass" && pairs[i + 1].Length == 0 && reachable)
            {
                // The start-up rule holds at run time too: RESP reachable from other machines keeps a password.
                return RedisReply.Error($"ERR CONFIG SET failed (possibly related to argument 'requirepass') - the node listens on {server.Settings.Host}: a password is required");
            }

            try
            {
                changes.Add(parameter.Parse(Encoding.UTF8.GetString(pairs[i + 1])));
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException or ConfigurationException)
            {
                return RedisReply.Error($"ERR CONFIG SET failed (possibly related to argument '{name}') - {OneLine(ex.Message)}");
            }
        }

        var nodeChanges = changes.Where(c => c.Node is not null).Select(c => c.Node!).ToList();
        if (nodeChanges.Count > 0)
        {
            try
            {
                // Validated against the settings in force, so a combination that breaks a rule changes nothing.
                nodeChanges.Aggregate(server.Node.Settings, (settings, change) => change(settings)).Validated();
            }
            catch (ConfigurationException ex)
            {
                return RedisReply.Error($"ERR CONFIG SET failed - {OneLine(ex.Message)}");
            }

            await server.Node.ChangeSettingsAsync(settings => nodeChanges.Aggregate(settings, (s, change) => change(s)).Validated());
        }

        foreach (var change in changes.Where(c => c.Resp is not null)) server.ChangeSettings(change.Resp!);
        return RedisReply.Ok;
    }

    // The value is parsed here, when CONFIG SET reads its arguments, so a malformed one is refused with its name
    // before anything changes.
    private static Change Node<T>(T value, Func<CacheSettings, T, CacheSettings> apply) => new(Node: settings => apply(settings, value));

    private static Change Resp<T>(T value, Func<RespSettings, T, RespSettings> apply) => new(Resp: settings => apply(settings, value));

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Millis(TimeSpan value) => Number((long)value.TotalMilliseconds);

    private static string OneLine(string text) => text.Replace('\r', ' ').Replace('\n', ' ');

    private static int Int(string text) => int.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static int Positive(int value) => value > 0 ? value : throw new ArgumentException("must be at least 1");

    // Redis's floor for proto-max-bulk-len and client-query-buffer-limit: a smaller limit would refuse the very
    // CONFIG SET that could raise it again, locking every client out.
    private static long AtLeast(long value, long minimum) =>
        value >= minimum && value <= Array.MaxLength ? value : throw new ArgumentException($"argument must be between {minimum} and {Array.MaxLength} inclusive");

    private static int NotNegative(int value) => value >= 0 ? value : throw new ArgumentException("must not be negative");

    /// <summary>Milliseconds, or a HOCON duration ("2 s", "500ms").</summary>
    private static TimeSpan Duration(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms)
            ? TimeSpan.FromMilliseconds(ms)
            : ConfigurationFactory.ParseString($"value = \"{Quote(text)}\"").GetTimeSpan("value");

    /// <summary>Bytes, Redis's units (1k = 1000, 1kb = 1024, likewise m/mb, g/gb), or a HOCON size ("64 MiB").</summary>
    private static long Size(string text)
    {
        var value = text.Trim().ToLowerInvariant();
        (string Suffix, long Factor)[] units = [("gb", 1L << 30), ("mb", 1L << 20), ("kb", 1L << 10), ("g", 1_000_000_000), ("m", 1_000_000), ("k", 1000), ("b", 1)];
        foreach (var (suffix, factor) in units)
        {
            if (value.EndsWith(suffix, StringComparison.Ordinal) && long.TryParse(value[..^suffix.Length], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return checked(n * factor);
            }
        }

        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)) return bytes;
        return ConfigurationFactory.ParseString($"value = \"{Quote(text)}\"").GetByteSize("value") ?? throw new FormatException($"'{text}' is not a size");
    }

    private static string Quote(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
