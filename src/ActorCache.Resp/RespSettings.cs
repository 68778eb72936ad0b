using ActorCache.Resp.Protocol;
using ActorCache.Settings;
using Akka.Configuration;

namespace ActorCache.Resp;

/// <summary>The RESP front end's settings, read from <c>actor-cache.resp</c> (defaults in the embedded resp.conf).</summary>
public sealed record RespSettings
{
    /// <summary>Whether the node runs a RESP server.</summary>
    public required bool Enabled { get; init; }

    /// <summary>Interface to listen on.</summary>
    public required string Host { get; init; }

    /// <summary>TCP port; 0 picks a free one.</summary>
    public required int Port { get; init; }

    /// <summary>Password for AUTH; null when clients need none.</summary>
    public required string? RequirePass { get; init; }

    /// <summary>Most clients connected at once.</summary>
    public required int MaxClients { get; init; }

    /// <summary>Idle time after which a client is closed; zero = never.</summary>
    public required TimeSpan IdleTimeout { get; init; }

    /// <summary>Request size limits.</summary>
    public required RespLimits Limits { get; init; }

    /// <summary>Most replies one connection may owe before the node stops reading it.</summary>
    public required int MaxPendingReplies { get; init; }

    /// <summary>
    /// The smallest <c>proto-max-bulk-len</c> and <c>client-query-buffer-limit</c> (1 MiB, as Redis): below it the
    /// commands needed to raise them again would be refused.
    /// </summary>
    public const long MinimumRequestLimit = 1024 * 1024;

    /// <summary>The embedded defaults of the RESP front end, over those of the node (<see cref="CacheSettings.DefaultConfig"/>).</summary>
    public static Config DefaultConfig { get; } = LoadDefaults();

    /// <summary>Reads <c>actor-cache.resp</c> of <paramref name="config"/>, over the embedded defaults.</summary>
    /// <exception cref="ConfigurationException">A value is missing, malformed or out of range; the message names it.</exception>
    public static RespSettings Create(Config config)
    {
        var c = config.WithFallback(DefaultConfig).GetConfig("actor-cache.resp");
        long Size(string key) => Read(key, () => c.GetByteSize(key) ?? throw new FormatException("not a size"));
        int Int(string key) => Read(key, () => c.GetInt(key));
        var password = Read("requirepass", () => c.GetString("requirepass"));
        var settings = new RespSettings
        {
            Enabled = Read("enabled", () => c.GetBoolean("enabled")),
            Host = Read("host", () => c.GetString("host")),
            Port = Int("port"),
            RequirePass = string.IsNullOrEmpty(password) ? null : password,
            MaxClients = Int("maxclients"),
            IdleTimeout = Read("timeout", () => c.GetTimeSpan("timeout")),
            Limits = Read("limits", () => new RespLimits
            {
                MaxBulkLength = Size("proto-max-bulk-len"),
                MaxMultiBulkLength = Int("max-multibulk-length"),
                MaxInlineLength = (int)Math.Min(int.MaxValue, Size("max-inline-length")),
                MaxQueryBufferLength = Size("client-query-buffer-limit"),
            }),
            MaxPendingReplies = Int("max-pending-replies"),
        };
        Require(!string.IsNullOrWhiteSpace(settings.Host), "host must not be empty");
        Require(settings.Port is >= 0 and <= 65535, "port must be between 0 and 65535");
        Require(settings.MaxClients >= 1, "maxclients must be at least 1");
        Require(settings.IdleTimeout >= TimeSpan.Zero, "timeout must not be negative");
        Require(settings.MaxPendingReplies >= 1, "max-pending-replies must be at least 1");
        Require(settings.Limits.MaxBulkLength >= MinimumRequestLimit, "proto-max-bulk-len must be at least 1 MiB");
        Require(settings.Limits.MaxQueryBufferLength >= MinimumRequestLimit, "client-query-buffer-limit must be at least 1 MiB");
        Require(settings.Enabled is false || IsLoopback(settings.Host) || settings.RequirePass is not null,
            $"host is {settings.Host}, reachable from other machines, and requirepass is empty: set a password or listen on 127.0.0.1");
        return settings;
    }

    /// <summary>True for an address only this machine can reach (127.0.0.0/8, ::1, localhost).</summary>
    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (System.Net.IPAddress.TryParse(host, out var ip) && System.Net.IPAddress.IsLoopback(ip));

    // HOCON's getters throw assorted exceptions on malformed values; the user needs the setting's name.
    private static T Read<T>(string key, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is not ConfigurationException)
        {
            throw new ConfigurationException($"actor-cache.resp.{key}: {ex.Message}");
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ConfigurationException("actor-cache.resp." + message);
    }

    private static Config LoadDefaults()
    {
        using var stream = typeof(RespSettings).Assembly.GetManifestResourceStream("ActorCache.Resp.resp.conf")
            ?? throw new InvalidOperationException("resp.conf is not embedded in the ActorCache.Resp assembly");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd()).WithFallback(CacheSettings.DefaultConfig);
    }
}
