using System.Security.Cryptography;
using System.Text;
using ActorCache.Client;
using ActorCache.Node;
using ActorCache.Storage;
using ActorCache.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Faults;

/// <summary>
/// A stored value whose bytes changed on disk, on each real store, read through a running node: reading that key gives
/// an error naming the corruption, is logged, and every other key reads fine.
/// </summary>
public abstract class CorruptRecordSpec(ITestOutputHelper output) : NodeSpec(output)
{
    protected static readonly TimeSpan Liveness = TimeSpan.FromSeconds(30);

    protected abstract string Backend { get; }

    protected Task<(ActorCacheNode Node, ICacheClient Client)> StartOnRealStoreAsync() =>
        StartNodeAsync(openStore: () => DiskStoreFactory.Open(Backend, DataDirectory));

    [Fact]
    public async Task A_flipped_byte_in_a_stored_value_fails_only_that_key_with_a_logged_corruption_error()
    {
        var (node, client) = await StartOnRealStoreAsync();
        foreach (var key in new[] { "a", "b", "c" }) await client.SetAsync(key, key + "-value");
        await node.StopAsync();
        using (var store = DiskStoreFactory.Open(Backend, DataDirectory))
        {
            var record = store.MultiGet(0, [Bytes("b")])[0]!;
            record[^1] ^= 0x01;
            store.Write(0, [new StoreWrite(Bytes("b"), record)]);
        }

        var (_, restarted) = await StartOnRealStoreAsync();

        await EventFilter.Error(contains: "Corrupt record").ExpectOneAsync(async () =>
        {
            var reply = Text(await restarted.ExecuteAsync("GET", "b").WaitAsync(Liveness));
            Assert.StartsWith("ERR disk load failed: corrupt record on disk", reply);
            Assert.Contains("checksum mismatch", reply);
        });
        Assert.Equal("a-value", await restarted.GetAsync("a"));
        Assert.Equal("c-value", await restarted.GetAsync("c"));
    }

    [Fact]
    public async Task A_truncated_record_is_reported_as_corrupt()
    {
        var (node, client) = await StartOnRealStoreAsync();
        await client.SetAsync("a", "a-value");
        await client.SetAsync("short", "a value long enough to cut");
        await node.StopAsync();
        using (var store = DiskStoreFactory.Open(Backend, DataDirectory))
        {
            var record = store.MultiGet(0, [Bytes("short")])[0]!;
            store.Write(0, [new StoreWrite(Bytes("short"), record[..10])]);
        }

        var (_, restarted) = await StartOnRealStoreAsync();

        await EventFilter.Error(contains: "Corrupt record").ExpectOneAsync(async () =>
        {
            var reply = Text(await restarted.ExecuteAsync("GET", "short").WaitAsync(Liveness));
            Assert.StartsWith("ERR disk load failed: corrupt record on disk: Record truncated", reply);
        });
        Assert.Equal("a-value", await restarted.GetAsync("a"));
    }
}

public sealed class RocksDbCorruptRecordSpec(ITestOutputHelper output) : CorruptRecordSpec(output)
{
    protected override string Backend => DiskStoreFactory.RocksDbBackend;
}

public sealed class FileCorruptRecordSpec(ITestOutputHelper output) : CorruptRecordSpec(output)
{
    protected override string Backend => DiskStoreFactory.FileBackend;

    public static TheoryData<string> Damages => ["flip a payload byte", "cut into the record header", "cut into the key", "break the magic"];

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task A_key_file_damaged_while_the_node_runs_fails_only_that_key(string damage)
    {
        var (node, client) = await StartOnRealStoreAsync();
        await client.SetAsync("a", "a-value");
        await client.SetAsync("damaged", "damaged-value");
        await node.FlushCacheAsync();
        Damage(KeyFile("damaged"), damage);

        await EventFilter.Error(contains: "Corrupt record").ExpectOneAsync(async () =>
        {
            var reply = Text(await client.ExecuteAsync("GET", "damaged").WaitAsync(Liveness));
            Assert.StartsWith("ERR disk load failed: corrupt record on disk", reply);
        });
        Assert.Equal("a-value", await client.GetAsync("a"));
    }

    [Fact]
    public async Task A_damaged_key_file_in_a_batch_load_fails_only_its_own_key()
    {
        var (node, client) = await StartOnRealStoreAsync();
        await client.SetAsync("a", "a-value");
        await client.SetAsync("damaged", "damaged-value");
        await node.FlushCacheAsync();
        Damage(KeyFile("damaged"), "break the magic");

        await EventFilter.Error(contains: "Corrupt record").ExpectOneAsync(async () =>
            Assert.Contains("corrupt record on disk", Text(await client.ExecuteAsync("MGET", "a", "damaged").WaitAsync(Liveness))));

        var loadsBefore = (await StatsOf(node)).DiskLoads;
        Assert.Equal("a-value", await client.GetAsync("a"));
        Assert.Equal(loadsBefore, (await StatsOf(node)).DiskLoads);
    }

    private string KeyFile(string key)
    {
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return Path.Combine(DataDirectory, "files", "db0", name[..2], name[2..4], name);
    }

    private static void Damage(string file, string damage)
    {
        var bytes = File.ReadAllBytes(file);
        // Key file: 9-byte header, the key, then the record (18-byte header and the payload).
        var recordStart = 9 + "damaged".Length;
        bytes = damage switch
        {
            "flip a payload byte" => Flip(bytes, ^2),
            "cut into the record header" => bytes[..(recordStart + 7)],
            "cut into the key" => bytes[..(9 + 3)],
            "break the magic" => Flip(bytes, 0),
            _ => throw new ArgumentOutOfRangeException(nameof(damage), damage, null),
        };
        File.WriteAllBytes(file, bytes);
    }

    private static byte[] Flip(byte[] bytes, Index at)
    {
        bytes[at] ^= 0x20;
        return bytes;
    }
}
