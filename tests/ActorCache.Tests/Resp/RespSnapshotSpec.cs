using System.Text;
using ActorCache.Storage;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Resp;

/// <summary>SAVE, BGSAVE, LASTSAVE and INFO persistence over RESP, on a real RocksDB store.</summary>
public sealed class RespSnapshotSpec(ITestOutputHelper output) : RespSpec(output)
{
    private Task StartOnRocksDbAsync() =>
        StartAsync(node: s => s with { CacheFlushDelay = TimeSpan.FromHours(1) }, openStore: () => DiskStoreFactory.Open("rocksdb", DataDirectory));

    [Fact]
    public async Task Save_writes_a_snapshot_folder_holding_the_dirty_keys_and_lastsave_moves_to_it()
    {
        await StartOnRocksDbAsync();
        var client = await ConnectAsync();
        await client.SendAsync(["SET", "k", "v"], ["LASTSAVE"]);
        Assert.Equal("+OK", await client.ReadReplyAsync());
        var started = long.Parse((await client.ReadReplyAsync())[1..], System.Globalization.CultureInfo.InvariantCulture);

        await client.SendAsync(["SAVE"]);
        Assert.Equal("+OK", await client.ReadReplyAsync());

        var folder = Assert.Single(Directory.GetDirectories(Path.Combine(DataDirectory, "snapshots")));
        using (var copy = new RocksDbDiskStore(folder))
        {
            Assert.Equal("v", Encoding.UTF8.GetString(RecordCodec.Decode(copy.MultiGet(0, [Bytes("k")])[0]!).Payload));
        }

        await client.SendAsync(["LASTSAVE"]);
        Assert.True(long.Parse((await client.ReadReplyAsync())[1..], System.Globalization.CultureInfo.InvariantCulture) >= started);
        var persistence = await InfoAsync(client, "persistence");
        Assert.Contains("rdb_last_bgsave_status:ok", persistence);
        Assert.Contains("snapshot_last_dir:" + folder, persistence);
    }

    [Fact]
    public async Task Bgsave_answers_at_once_and_info_shows_the_snapshot_once_taken()
    {
        await StartOnRocksDbAsync();
        var client = await ConnectAsync();
        await client.SendAsync(["SET", "k", "v"], ["BGSAVE"]);
        Assert.Equal("+OK", await client.ReadReplyAsync());
        Assert.Equal("+Background saving started", await client.ReadReplyAsync());

        await AwaitAssertAsync(async () => Assert.Contains("snapshot_last_dir:" + Path.Combine(DataDirectory, "snapshots"), await InfoAsync(client, "persistence")));
        Assert.Contains("rdb_bgsave_in_progress:0", await InfoAsync(client, "persistence"));
    }

    [Fact]
    public async Task Save_on_a_store_without_snapshots_answers_an_error_and_info_reports_it()
    {
        await StartAsync();
        var client = await ConnectAsync();

        await client.SendAsync(["SAVE"]);

        Assert.StartsWith("-ERR snapshot failed:", await client.ReadReplyAsync());
        Assert.Contains("rdb_last_bgsave_status:err", await InfoAsync(client, "persistence"));
        await client.SendAsync(["SET", "k", "v"]);
        Assert.Equal("+OK", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Config_get_shows_durability_and_request_timeout()
    {
        await StartAsync(node: s => s with { Durability = ActorCache.Settings.Durability.WriteThrough });
        var client = await ConnectAsync();

        Assert.Equal("*[$durability, $write-through]", await client.CallAsync("CONFIG", "GET", "durability"));
        Assert.Equal("+OK", await client.CallAsync("CONFIG", "SET", "request-timeout", "5000"));
        Assert.Equal("*[$request-timeout, $5000]", await client.CallAsync("CONFIG", "GET", "request-timeout"));
    }

    private static async Task<string> InfoAsync(Support.RawRespClient client, string section)
    {
        var reply = await client.CallAsync("INFO", section);
        Assert.StartsWith("$", reply);
        return reply[1..];
    }
}
