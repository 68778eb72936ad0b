using StackExchange.Redis;
using Xunit;

namespace ActorCache.IntegrationTests.Resp;

/// <summary>Expiry through StackExchange.Redis: TTLs are read back within bounds, never asserted against a clock.</summary>
public sealed class ExpirySpec : RespSpec
{
    [Fact]
    public async Task A_value_set_with_an_expiry_reports_a_ttl_within_that_expiry()
    {
        var db = await DatabaseAsync();

        await db.StringSetAsync("session", "data", TimeSpan.FromMinutes(10));
        var ttl = await db.KeyTimeToLiveAsync("session");
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));

        await db.StringSetAsync("plain", "data");
        Assert.Null(await db.KeyTimeToLiveAsync("plain"));
        Assert.Null(await db.KeyTimeToLiveAsync("missing"));

        Assert.True(await db.KeyExpireAsync("plain", TimeSpan.FromSeconds(100)));
        Assert.InRange((await db.KeyTimeToLiveAsync("plain"))!.Value, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(100));
        Assert.True(await db.KeyPersistAsync("plain"));
        Assert.Null(await db.KeyTimeToLiveAsync("plain"));
        Assert.False(await db.KeyExpireAsync("missing", TimeSpan.FromSeconds(100)));

        var at = DateTime.UtcNow.AddHours(1);
        Assert.True(await db.KeyExpireAsync("plain", at));
        Assert.InRange((await db.KeyTimeToLiveAsync("plain"))!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task The_expire_time_set_is_read_back_as_an_absolute_time()
    {
        var db = await DatabaseAsync();
        await db.StringSetAsync("key", "value");

        var at = DateTime.UtcNow.AddHours(1);
        Assert.True(await db.KeyExpireAsync("key", at));
        Assert.InRange((await db.KeyExpireTimeAsync("key"))!.Value, at.AddSeconds(-1), at.AddSeconds(1));
        Assert.Null(await db.KeyExpireTimeAsync("missing"));
    }

    [Fact]
    public async Task Set_keepttl_and_getex_change_or_keep_the_expiry()
    {
        var db = await DatabaseAsync();

        await db.StringSetAsync("key", "v1", TimeSpan.FromMinutes(5));
        await db.StringSetAsync("key", "v2", null, keepTtl: true);
        Assert.Equal("v2", (string?)await db.StringGetAsync("key"));
        Assert.NotNull(await db.KeyTimeToLiveAsync("key"));

        Assert.Equal("v2", (string?)await db.StringGetSetExpiryAsync("key", TimeSpan.FromSeconds(30)));
        Assert.InRange((await db.KeyTimeToLiveAsync("key"))!.Value, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30));
        Assert.Equal("v2", (string?)await db.StringGetSetExpiryAsync("key", null));
        Assert.Null(await db.KeyTimeToLiveAsync("key"));

        // A plain SET drops the expiry.
        await db.StringSetAsync("key", "v3", TimeSpan.FromMinutes(5));
        await db.StringSetAsync("key", "v4");
        Assert.Null(await db.KeyTimeToLiveAsync("key"));
    }

    [Fact]
    public async Task A_key_with_a_50_ms_expiry_is_gone_when_polled_later()
    {
        var db = await DatabaseAsync();

        await db.StringSetAsync("short-lived", "soon gone", TimeSpan.FromMilliseconds(50));
        await db.StringSetAsync("long-lived", "stays", TimeSpan.FromMinutes(5));

        var gone = false;
        for (var attempt = 0; attempt < 200 && !gone; attempt++)
        {
            gone = (await db.StringGetAsync("short-lived")).IsNull;
            if (!gone) await Task.Delay(25);
        }

        Assert.True(gone, "the key with a 50 ms expiry was still there after 200 polls");
        Assert.False(await db.KeyExistsAsync("short-lived"));
        Assert.Null(await db.KeyTimeToLiveAsync("short-lived"));
        Assert.Equal("stays", (string?)await db.StringGetAsync("long-lived"));
    }
}
