using System.Globalization;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Commands;

/// <summary>EXPIRETIME, PEXPIRETIME and TOUCH answer as Redis 7.0 does (the rest of the key commands: <see cref="KeyCommandsSpec"/>).</summary>
public sealed class ExpireTimeAndTouchSpec(ITestOutputHelper output) : CommandNodeSpec(output)
{
    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    // EXPIRETIME, PEXPIRETIME

    [Fact]
    public async Task Expiretime_is_minus_two_for_a_missing_key_and_minus_one_without_expiry()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");

        await Expect(client, Int(-2), "EXPIRETIME", "missing");
        await Expect(client, Int(-2), "PEXPIRETIME", "missing");
        await Expect(client, Int(-1), "EXPIRETIME", "k");
        await Expect(client, Int(-1), "PEXPIRETIME", "k");
    }

    [Fact]
    public async Task Expiretime_is_the_absolute_unix_time_a_relative_expiry_set()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v", "EX", "100");
        var at = Clock.UnixTimeMs + 100_000;

        // It does not count down: the clock moves, the answer stays.
        Clock.Advance(TimeSpan.FromSeconds(30));

        await Expect(client, Int(at), "PEXPIRETIME", "k");
        await Expect(client, Int((at + 500) / 1000), "EXPIRETIME", "k");
    }

    [Theory]
    [InlineData(1999999999600, 2000000000)]
    [InlineData(1999999999500, 2000000000)]
    [InlineData(1999999999499, 1999999999)]
    [InlineData(9223372036854775807, 9223372036854776)]
    public async Task Expiretime_rounds_the_milliseconds_to_the_nearest_second_without_overflow(long pexpireAt, long seconds)
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");
        await Expect(client, Int(1), "PEXPIREAT", "k", Text(pexpireAt));

        await Expect(client, Int(pexpireAt), "PEXPIRETIME", "k");
        await Expect(client, Int(seconds), "EXPIRETIME", "k");
    }

    [Fact]
    public async Task Expiretime_of_a_key_only_on_disk_loads_it_and_reads_its_stored_expiry()
    {
        var at = Clock.UnixTimeMs + 5_000;
        Store.Seed("live", "v", expireAtMs: at);
        Store.Seed("forever", "v");
        Store.Seed("old", "v", expireAtMs: Clock.UnixTimeMs - 1);
        var client = await StartAsync();

        await Expect(client, Int(at), "PEXPIRETIME", "live");
        await Expect(client, Int(-1), "EXPIRETIME", "forever");
        await Expect(client, Int(-2), "PEXPIRETIME", "old");
    }

    [Fact]
    public async Task Expiretime_follows_persist_and_an_expired_key_is_missing()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v", "PX", "1000");
        var at = Clock.UnixTimeMs + 1000;

        Clock.Advance(TimeSpan.FromMilliseconds(1000));
        await Expect(client, Int(at), "PEXPIRETIME", "k");
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        await Expect(client, Int(-2), "PEXPIRETIME", "k");

        await client.ExecuteAsync("SET", "p", "v", "EX", "10");
        await Expect(client, Int(1), "PERSIST", "p");
        await Expect(client, Int(-1), "EXPIRETIME", "p");
    }

    // TOUCH

    [Fact]
    public async Task Touch_counts_the_keys_that_exist_a_repeated_key_each_time()
    {
        var client = await StartAsync();
        await client.ExecuteAsync("SET", "k", "v");
        await client.ExecuteAsync("SET", "e", "v", "PX", "1");
        Clock.Advance(TimeSpan.FromMilliseconds(2));

        await Expect(client, Int(2), "TOUCH", "k", "k", "missing");
        await Expect(client, Int(0), "TOUCH", "missing");
        await Expect(client, Int(0), "TOUCH", "e");
    }

    [Fact]
    public async Task Touch_sees_keys_only_on_disk_and_changes_nothing()
    {
        Store.Seed("a", "1");
        Store.Seed("b", "2", expireAtMs: Clock.UnixTimeMs + 5_000);
        var client = await StartAsync();

        await Expect(client, Int(2), "TOUCH", "a", "b", "c");

        await Expect(client, Array("1", "2", null), "MGET", "a", "b", "c");
        await Expect(client, Int(5_000), "PTTL", "b");
        await client.FlushToDiskAsync();
        Assert.Equal("1", Store.StoredString("a"));
        Assert.Null(Store.StoredString("c"));
    }
}
