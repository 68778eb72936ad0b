using ActorCache.Settings;
using Akka.Configuration;
using Xunit;

namespace ActorCache.Tests.Settings;

public sealed class CacheSettingsSpec
{
    [Fact]
    public void Every_default_is_the_documented_one()
    {
        var settings = CacheSettings.Create(Config.Empty);

        Assert.Equal(16, settings.Databases);
        Assert.Equal("data", settings.DataDirectory);
        Assert.Equal("rocksdb", settings.Backend);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.CacheFlushDelay);
        Assert.Equal(256, settings.MaxInFlight);
        Assert.Equal(128, settings.SaveBatchSize);
        Assert.Equal(64, settings.LoadBatchSize);
        Assert.Equal(100_000, settings.NegativeCacheMaxEntries);
        Assert.Equal(TimeSpan.FromMilliseconds(100), settings.SaveRetryMinBackoff);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.SaveRetryMaxBackoff);
        Assert.Equal(TimeSpan.FromMilliseconds(100), settings.ActiveExpireInterval);
        Assert.Equal(20, settings.ActiveExpireSamples);
        Assert.Equal(512L * 1024 * 1024, settings.MaxValueSize);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.ShutdownFlushTimeout);
        Assert.Equal(0, settings.CacheMaxMemory);
        Assert.Equal(5, settings.CacheEvictionSamples);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.MaxWriteWait);
        Assert.Equal(Durability.WriteBehind, settings.Durability);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.RequestTimeout);
    }

    [Theory]
    [InlineData("write-through", Durability.WriteThrough)]
    [InlineData("WRITE-BEHIND", Durability.WriteBehind)]
    public void Durability_is_read_by_name(string name, Durability expected)
    {
        Assert.Equal(expected, CacheSettings.Create(ConfigurationFactory.ParseString($"actor-cache.durability = {name}")).Durability);
    }

    [Fact]
    public void An_unknown_durability_is_refused_with_the_settings_name()
    {
        var error = Assert.Throws<ConfigurationException>(() => CacheSettings.Create(ConfigurationFactory.ParseString("actor-cache.durability = sometimes")));

        Assert.Contains("actor-cache.durability", error.Message);
        Assert.Contains("write-through", error.Message);
    }

    [Fact]
    public void The_disk_io_dispatcher_is_a_pinned_dispatcher()
    {
        Assert.Equal("PinnedDispatcher", CacheSettings.DefaultConfig.GetString(CacheSettings.DiskIoDispatcherId + ".type"));
    }

    [Fact]
    public void Every_setting_has_a_comment_in_reference_conf()
    {
        using var stream = typeof(CacheSettings).Assembly.GetManifestResourceStream("ActorCache.reference.conf")!;
        var lines = new StreamReader(stream).ReadToEnd().Split('\n').Select(l => l.Trim()).ToArray();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].Contains(" = ", StringComparison.Ordinal) || lines[i].StartsWith('#')) continue;
            Assert.True(i > 0 && lines[i - 1].StartsWith('#'), $"no comment above '{lines[i]}'");
        }
    }

    [Fact]
    public void Configuration_overrides_the_defaults()
    {
        var settings = CacheSettings.Create(ConfigurationFactory.ParseString("actor-cache { databases = 4, backend = file, cache-flush-delay = 250 ms, max-value-size = 1 MiB, cache-max-memory = 64 MiB }"));

        Assert.Equal(4, settings.Databases);
        Assert.Equal("file", settings.Backend);
        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.CacheFlushDelay);
        Assert.Equal(1024 * 1024, settings.MaxValueSize);
        Assert.Equal(64L * 1024 * 1024, settings.CacheMaxMemory);
    }

    [Theory]
    [InlineData("databases = 0", "databases")]
    [InlineData("backend = lmdb", "backend")]
    [InlineData("max-in-flight = 0", "max-in-flight")]
    [InlineData("cache-flush-delay = -1 s", "cache-flush-delay")]
    [InlineData("save-retry-max-backoff = 1 ms", "save-retry-max-backoff")]
    [InlineData("cache-max-memory = -1", "cache-max-memory")]
    [InlineData("cache-max-memory = lots", "cache-max-memory")]
    [InlineData("cache-eviction-samples = 0", "cache-eviction-samples")]
    [InlineData("max-write-wait = 0 s", "max-write-wait")]
    public void A_bad_value_is_rejected_with_a_message_naming_the_setting(string setting, string name)
    {
        var error = Assert.Throws<ConfigurationException>(() => CacheSettings.Create(ConfigurationFactory.ParseString($"actor-cache {{ {setting} }}")));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }
}
