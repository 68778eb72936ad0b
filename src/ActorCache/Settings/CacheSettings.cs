using Akka.Actor;
using Akka.Configuration;

namespace ActorCache.Settings;

/// <summary>The node's settings, read from the <c>actor-cache</c> section of HOCON (defaults in reference.conf).</summary>
public sealed record CacheSettings
{
    /// <summary>The HOCON path of the DiskIoActor's pinned dispatcher.</summary>
    public const string DiskIoDispatcherId = "actor-cache.disk-io-dispatcher";

    /// <summary>Number of databases.</summary>
    public required int Databases { get; init; }

    /// <summary>Folder of the on-disk store.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>"rocksdb" or "file".</summary>
    public required string Backend { get; init; }

    /// <summary>How long a dirty key waits before its save is dispatched.</summary>
    public required TimeSpan CacheFlushDelay { get; init; }

    /// <summary>Most per-key jobs a keyspace has outstanding.</summary>
    public required int MaxInFlight { get; init; }

    /// <summary>Most keys per save job.</summary>
    public required int SaveBatchSize { get; init; }

    /// <summary>Most keys per load job.</summary>
    public required int LoadBatchSize { get; init; }

    /// <summary>Bound on unpinned negative-cache entries per keyspace.</summary>
    public required int NegativeCacheMaxEntries { get; init; }

    /// <summary>First retry delay of a failed save.</summary>
    public required TimeSpan SaveRetryMinBackoff { get; init; }

    /// <summary>Largest retry delay of a failed save.</summary>
    public required TimeSpan SaveRetryMaxBackoff { get; init; }

    /// <summary>Period of the active expiry cycle.</summary>
    public required TimeSpan ActiveExpireInterval { get; init; }

    /// <summary>Keys sampled per active expiry round.</summary>
    public required int ActiveExpireSamples { get; init; }

    /// <summary>Largest string value, in bytes.</summary>
    public required long MaxValueSize { get; init; }

    /// <summary>How long graceful shutdown waits for the flush.</summary>
    public required TimeSpan ShutdownFlushTimeout { get; init; }

    /// <summary>
    /// The node's memory budget in bytes (keys, values and per-entry overhead, estimated), shared by every database;
    /// 0 = unbounded.
    /// </summary>
    public required long CacheMaxMemory { get; init; }

    /// <summary>Keys sampled per eviction; the least recently used clean one of them leaves memory.</summary>
    public required int CacheEvictionSamples { get; init; }

    /// <summary>How long a write waits for memory over <see cref="CacheMaxMemory"/> before it fails with OOM.</summary>
    public required TimeSpan MaxWriteWait { get; init; }

    /// <summary>
    /// How long a request may wait in a keyspace for its keys (a disk load, or requests ahead of it on the same keys)
    /// before it is answered with a timeout error, so no client waits for ever on a stalled disk.
    /// </summary>
    public required TimeSpan RequestTimeout { get; init; }

    /// <summary>When a write is acknowledged: from memory (write-behind) or once its save is on disk (write-through).</summary>
    public required Durability Durability { get; init; }

    /// <summary>The embedded defaults (reference.conf).</summary>
    public static Config DefaultConfig { get; } = LoadDefaults();

    /// <summary>Reads the settings of <paramref name="system"/>'s configuration, over the embedded defaults.</summary>
    public static CacheSettings Create(ActorSystem system) => Create(system.Settings.Config);

    /// <summary>Reads the <c>actor-cache</c> section of <paramref name="config"/>, over the embedded defaults.</summary>
    /// <exception cref="ConfigurationException">A value is missing, of the wrong type or out of range.</exception>
    public static CacheSettings Create(Config config)
    {
        var c = (ReferenceEquals(config, DefaultConfig) ? config : config.WithFallback(DefaultConfig)).GetConfig("actor-cache");
        int Int(string key) => Read(key, () => c.GetInt(key));
        TimeSpan Duration(string key) => Read(key, () => c.GetTimeSpan(key));
        var settings = new CacheSettings
        {
            Databases = Int("databases"),
            DataDirectory = Read("data-dir", () => c.GetString("data-dir")),
            Backend = Read("backend", () => c.GetString("backend")),
            CacheFlushDelay = Duration("cache-flush-delay"),
            MaxInFlight = Int("max-in-flight"),
            SaveBatchSize = Int("save-batch-size"),
            LoadBatchSize = Int("load-batch-size"),
            NegativeCacheMaxEntries = Int("negative-cache-max-entries"),
            SaveRetryMinBackoff = Duration("save-retry-min-backoff"),
            SaveRetryMaxBackoff = Duration("save-retry-max-backoff"),
            ActiveExpireInterval = Duration("active-expire-interval"),
            ActiveExpireSamples = Int("active-expire-samples"),
            MaxValueSize = Read("max-value-size", () => c.GetByteSize("max-value-size") ?? throw new FormatException("not a size")),
            ShutdownFlushTimeout = Duration("shutdown-flush-timeout"),
            CacheMaxMemory = Read("cache-max-memory", () => c.GetByteSize("cache-max-memory") ?? throw new FormatException("not a size")),
            CacheEvictionSamples = Int("cache-eviction-samples"),
            MaxWriteWait = Duration("max-write-wait"),
            RequestTimeout = Duration("request-timeout"),
            Durability = Read("durability", () => ParseDurability(c.GetString("durability"))),
        };
        settings.Validate();
        return settings;
    }

    /// <summary>Reads a durability name as the configuration and CONFIG SET spell it.</summary>
    /// <exception cref="FormatException">Not "write-behind" or "write-through".</exception>
    public static Durability ParseDurability(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "write-behind" => Durability.WriteBehind,
        "write-through" => Durability.WriteThrough,
        _ => throw new FormatException($"must be \"write-behind\" or \"write-through\", not \"{value}\""),
    };

    // HOCON's getters throw assorted exceptions on malformed values; the user needs the setting's name.
    private static T Read<T>(string key, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is not ConfigurationException)
        {
            throw new ConfigurationException($"actor-cache.{key}: {ex.Message}");
        }
    }

    /// <summary>Checks every value, as <see cref="Create(Config)"/> does (for settings changed at run time).</summary>
    /// <exception cref="ConfigurationException">A value is out of range; the message names the setting.</exception>
    public CacheSettings Validated()
    {
        Validate();
        return this;
    }

    private void Validate()
    {
        Require(Databases is >= 1 and <= Storage.DiskStoreFactory.MaxDatabases, $"databases must be between 1 and {Storage.DiskStoreFactory.MaxDatabases}");
        Require(!string.IsNullOrWhiteSpace(DataDirectory), "data-dir must not be empty");
        Require(Backend is "rocksdb" or "file", $"backend must be \"rocksdb\" or \"file\", not \"{Backend}\"");
        Require(CacheFlushDelay >= TimeSpan.Zero, "cache-flush-delay must not be negative");
        Require(MaxInFlight >= 1, "max-in-flight must be at least 1");
        Require(SaveBatchSize >= 1, "save-batch-size must be at least 1");
        Require(LoadBatchSize >= 1, "load-batch-size must be at least 1");
        Require(NegativeCacheMaxEntries >= 0, "negative-cache-max-entries must not be negative");
        Require(SaveRetryMinBackoff > TimeSpan.Zero, "save-retry-min-backoff must be positive");
        Require(SaveRetryMaxBackoff >= SaveRetryMinBackoff, "save-retry-max-backoff must be at least save-retry-min-backoff");
        Require(ActiveExpireInterval > TimeSpan.Zero, "active-expire-interval must be positive");
        Require(ActiveExpireSamples >= 1, "active-expire-samples must be at least 1");
        Require(MaxValueSize >= 1 && MaxValueSize <= Array.MaxLength, $"max-value-size must be between 1 byte and {Array.MaxLength} bytes");
        Require(ShutdownFlushTimeout > TimeSpan.Zero, "shutdown-flush-timeout must be positive");
        Require(CacheMaxMemory >= 0, "cache-max-memory must not be negative (0 = unbounded)");
        Require(CacheEvictionSamples >= 1, "cache-eviction-samples must be at least 1");
        Require(MaxWriteWait > TimeSpan.Zero, "max-write-wait must be positive");
        Require(RequestTimeout > TimeSpan.Zero, "request-timeout must be positive");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ConfigurationException("actor-cache." + message);
    }

    private static Config LoadDefaults()
    {
        using var stream = typeof(CacheSettings).Assembly.GetManifestResourceStream("ActorCache.reference.conf")
            ?? throw new InvalidOperationException("reference.conf is not embedded in the ActorCache assembly");
        using var reader = new StreamReader(stream);
        // The wire format's serializer bindings come with the node's defaults, so a node never sends JSON.
        return ConfigurationFactory.ParseString(reader.ReadToEnd()).WithFallback(ActorCache.Protocol.ProtocolSerializer.Configuration);
    }
}

/// <summary>When the node acknowledges a write (the <c>actor-cache.durability</c> setting).</summary>
public enum Durability
{
    /// <summary>
    /// At once, from memory; the save follows within cache-flush-delay. A crash loses at most the writes of the last
    /// cache-flush-delay (plus what the disk has not yet taken under load); a barrier (WAITDISK) bounds what is at risk.
    /// </summary>
    WriteBehind,

    /// <summary>Once the save that carries the write is on disk; saves go at once and are batched across clients.</summary>
    WriteThrough,
}
