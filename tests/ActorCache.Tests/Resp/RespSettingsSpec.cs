using ActorCache.Resp;
using Akka.Configuration;
using Xunit;

namespace ActorCache.Tests.Resp;

/// <summary>The RESP settings read from HOCON: Redis's defaults, and refusals that name the setting.</summary>
public sealed class RespSettingsSpec
{
    [Fact]
    public void The_defaults_are_redis_defaults_on_loopback()
    {
        var settings = RespSettings.Create(Config.Empty);
        Assert.True(settings.Enabled);
        Assert.Equal("127.0.0.1", settings.Host);
        Assert.Equal(6379, settings.Port);
        Assert.Null(settings.RequirePass);
        Assert.Equal(10000, settings.MaxClients);
        Assert.Equal(TimeSpan.Zero, settings.IdleTimeout);
        Assert.Equal(512L * 1024 * 1024, settings.Limits.MaxBulkLength);
        Assert.Equal(1024 * 1024, settings.Limits.MaxMultiBulkLength);
        Assert.Equal(64 * 1024, settings.Limits.MaxInlineLength);
        Assert.Equal(1024L * 1024 * 1024, settings.Limits.MaxQueryBufferLength);
        Assert.Equal(8192, settings.MaxPendingReplies);
    }

    [Theory]
    [InlineData("actor-cache.resp.host = \"0.0.0.0\"", "actor-cache.resp.host is 0.0.0.0")]
    [InlineData("actor-cache.resp.proto-max-bulk-len = 1k", "actor-cache.resp.proto-max-bulk-len must be at least 1 MiB")]
    [InlineData("actor-cache.resp.client-query-buffer-limit = 1000", "actor-cache.resp.client-query-buffer-limit must be at least 1 MiB")]
    [InlineData("actor-cache.resp.port = 70000", "actor-cache.resp.port must be between 0 and 65535")]
    [InlineData("actor-cache.resp.maxclients = many", "actor-cache.resp.maxclients")]
    public void Bad_values_are_refused_with_the_setting_named(string hocon, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => RespSettings.Create(ConfigurationFactory.ParseString(hocon)));
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void Another_interface_is_allowed_with_a_password()
    {
        var settings = RespSettings.Create(ConfigurationFactory.ParseString("actor-cache.resp { host = \"0.0.0.0\", requirepass = secret }"));
        Assert.Equal("0.0.0.0", settings.Host);
        Assert.Equal("secret", settings.RequirePass);
    }
}
