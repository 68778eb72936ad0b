using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Resp;

/// <summary>INFO, CONFIG, DEBUG FLUSHCACHE, COMMAND and TIME.</summary>
public sealed class RespServerCommandsSpec(ITestOutputHelper output) : RespSpec(output)
{
    [Fact]
    public async Task Info_reports_every_section_with_the_diskstore_figures()
    {
        await StartAsync();
        var client = await ConnectAsync();
        await client.CallAsync("SET", "k", "v");
        var info = await client.CallAsync("INFO");
        foreach (var section in new[] { "# Server", "# Clients", "# Memory", "# Stats", "# Keyspace", "# Diskstore" }) Assert.Contains(section, info);
        foreach (var field in new[] { "redis_version:", "connected_clients:1", "used_memory:", "used_memory_rss:", "total_commands_processed:", "db0:keys=1", "cache_max_memory:", "cache_blocked_clients:0", "cache_io_queue_len:", "cache_io_jobs_new:", "cache_io_jobs_processing:", "cache_io_jobs_processed:", "cache_dirty_keys:", "cache_negative_entries:" })
        {
            Assert.Contains(field, info);
        }

        var diskstore = await client.CallAsync("INFO", "diskstore");
        Assert.Contains("# Diskstore", diskstore);
        Assert.DoesNotContain("# Server", diskstore);
    }

    [Fact]
    public async Task Info_counts_a_client_waiting_for_a_disk_load_as_blocked()
    {
        await StartAsync();
        Store.Seed("on-disk", "v");
        var waiting = await ConnectAsync();
        Store.HoldReads();
        await waiting.SendAsync(["GET", "on-disk"]);
        var observer = await ConnectAsync();
        await AwaitAssertAsync(async () => Assert.Contains("cache_blocked_clients:1", await observer.CallAsync("INFO", "diskstore")));
        Store.ReleaseReads();
        Assert.Equal("$v", await waiting.ReadReplyAsync());
    }

    [Fact]
    public async Task Config_set_of_the_flush_delay_applies_to_writes_from_then_on()
    {
        await StartAsync(node: settings => settings with { CacheFlushDelay = TimeSpan.FromHours(1) });
        var client = await ConnectAsync();
        Assert.Equal("*[$cache-flush-delay, $3600000]", await client.CallAsync("CONFIG", "GET", "cache-flush-delay"));

        Assert.Equal("+OK", await client.CallAsync("CONFIG", "SET", "cache-flush-delay", "0"));
        Assert.Equal("*[$cache-flush-delay, $0]", await client.CallAsync("CONFIG", "GET", "CACHE-FLUSH-*"));
        Assert.Equal(TimeSpan.Zero, Node.Settings.CacheFlushDelay);
        await client.CallAsync("SET", "k", "v");
        await AwaitAssertAsync(() => Assert.Equal("v", Store.StoredString("k")));
    }

    [Fact]
    public async Task Config_set_refuses_unknown_immutable_and_invalid_values_and_changes_nothing()
    {
        await StartAsync();
        var client = await ConnectAsync();
        Assert.Equal("-ERR Unknown option or number of arguments for CONFIG SET - 'nope'", await client.CallAsync("CONFIG", "SET", "nope", "1"));
        Assert.StartsWith("-ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config", await client.CallAsync("CONFIG", "SET", "databases", "4"));
        Assert.StartsWith("-ERR CONFIG SET failed (possibly related to argument 'max-in-flight')", await client.CallAsync("CONFIG", "SET", "max-in-flight", "many"));
        Assert.StartsWith("-ERR CONFIG SET failed", await client.CallAsync("CONFIG", "SET", "max-in-flight", "0"));
        // All or nothing: the valid first pair is not applied when the second is refused.
        Assert.StartsWith("-ERR CONFIG SET failed", await client.CallAsync("CONFIG", "SET", "save-batch-size", "7", "load-batch-size", "-1"));
        Assert.Equal("*[$save-batch-size, $128]", await client.CallAsync("CONFIG", "GET", "save-batch-size"));
        Assert.Equal("*[$max-in-flight, $256]", await client.CallAsync("CONFIG", "GET", "max-in-flight"));
        // Limits so small that the command to raise them again would be refused are refused themselves.
        Assert.StartsWith("-ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - argument must be between 1048576", await client.CallAsync("CONFIG", "SET", "proto-max-bulk-len", "1"));
        Assert.StartsWith("-ERR CONFIG SET failed (possibly related to argument 'client-query-buffer-limit')", await client.CallAsync("CONFIG", "SET", "client-query-buffer-limit", "1kb"));
        Assert.Equal("+OK", await client.CallAsync("CONFIG", "SET", "proto-max-bulk-len", "2mb"));
        Assert.Equal("*[$proto-max-bulk-len, $2097152]", await client.CallAsync("CONFIG", "GET", "proto-max-bulk-len"));
    }

    [Fact]
    public async Task Config_set_requirepass_asks_new_connections_to_authenticate()
    {
        await StartAsync();
        var admin = await ConnectAsync();
        Assert.Equal("+OK", await admin.CallAsync("CONFIG", "SET", "requirepass", "pw"));
        var late = await ConnectAsync();
        Assert.Equal("-NOAUTH Authentication required.", await late.CallAsync("PING"));
        Assert.Equal("+OK", await late.CallAsync("AUTH", "pw"));
    }

    [Fact]
    public async Task Debug_flushcache_writes_everything_then_empties_memory_and_reads_load_it_back()
    {
        await StartAsync(node: settings => settings with { CacheFlushDelay = TimeSpan.FromHours(1) });
        var client = await ConnectAsync();
        await client.CallAsync("MSET", "a", "1", "b", "2");
        Assert.Equal("+OK", await client.CallAsync("DEBUG", "FLUSHCACHE"));
        Assert.Equal("1", Store.StoredString("a"));
        Assert.Equal("2", Store.StoredString("b"));
        Assert.Equal(0, (await StatsOf(Node)).KeysInMemory);

        Assert.Equal("$1", await client.CallAsync("GET", "a"));
        Assert.Equal(1, Store.ReadsOf("a"));
    }

    [Fact]
    public async Task Command_lists_both_tables_with_arity_and_key_positions()
    {
        await StartAsync();
        var client = await ConnectAsync();
        var count = int.Parse((await client.CallAsync("COMMAND", "COUNT"))[1..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(ActorCache.Commands.CommandTable.Default.Commands.Count() + ActorCache.Resp.Commands.FrontEndCommands.All.Count(), count);
        Assert.Equal("*[*[$get, :2, *[+readonly, +fast], :1, :1, :1, *[], *[], *[], *[]], *nil]", await client.CallAsync("COMMAND", "INFO", "get", "nope"));
        Assert.Equal("*[$a, $c]", await client.CallAsync("COMMAND", "GETKEYS", "MSET", "a", "b", "c", "d"));
        Assert.StartsWith("*[$", await client.CallAsync("TIME"));
        Assert.Equal("-ERR This instance has cluster support disabled", await client.CallAsync("CLUSTER", "NODES"));
    }

    [Fact]
    public async Task Info_reports_hits_misses_disk_figures_and_each_busy_databases_io_state()
    {
        await StartAsync(node: settings => settings with { CacheFlushDelay = TimeSpan.FromHours(1) });
        Store.Seed("on-disk", "v");
        var client = await ConnectAsync();
        await client.CallAsync("SET", "k", "v");
        await client.CallAsync("GET", "k");
        await client.CallAsync("GET", "on-disk");
        await client.CallAsync("GET", "missing");
        await client.CallAsync("GET", "missing");

        var stats = await client.CallAsync("INFO", "stats");
        foreach (var field in new[] { "keyspace_hits:1\r\n", "keyspace_misses:3\r\n", "negative_cache_hits:1\r\n", "disk_loads:2\r\n", "disk_saves:0\r\n", "disk_save_failures:0\r\n", "evicted_keys:0\r\n" })
        {
            Assert.Contains(field, stats);
        }

        // One dirty key waiting for its flush delay, one key known absent; the other databases are idle and left out.
        var diskstore = await client.CallAsync("INFO", "diskstore");
        Assert.Contains("db0:dirty=1,io_queue=1,in_flight=0,parked=0,negative=1", diskstore);
        Assert.DoesNotContain("db1:", diskstore);
    }
}
