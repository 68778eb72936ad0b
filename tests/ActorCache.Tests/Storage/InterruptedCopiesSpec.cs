using System.Text;
using ActorCache.Storage;
using Xunit;

namespace ActorCache.Tests.Storage;

/// <summary>A snapshot or restore cut short by a crash is put right when the store next opens.</summary>
public sealed class InterruptedCopiesSpec : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("actor-cache-interrupted-").FullName;

    private string Store => Path.Combine(_data, "rocksdb");

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public void A_restore_cut_short_after_the_old_store_was_moved_aside_is_finished_at_open()
    {
        var snapshot = SnapshotHolding("from the snapshot");
        Write(Store, "in the old store");
        Directory.Move(Store, Store + ".replaced-1");
        CopyFolder(snapshot, Store + ".restoring-2");

        Assert.Equal("from the snapshot", ReadThroughFactory());
        Assert.False(Directory.Exists(Store + ".replaced-1"));
        Assert.False(Directory.Exists(Store + ".restoring-2"));
    }

    [Fact]
    public void A_restore_cut_short_before_the_swap_keeps_the_old_store_and_drops_the_copy()
    {
        var snapshot = SnapshotHolding("from the snapshot");
        Write(Store, "in the old store");
        CopyFolder(snapshot, Store + ".restoring-2");

        Assert.Equal("in the old store", ReadThroughFactory());
        Assert.False(Directory.Exists(Store + ".restoring-2"));
    }

    [Fact]
    public void Half_made_copies_are_deleted_at_open()
    {
        var halfSnapshot = Directory.CreateDirectory(Path.Combine(_data, "snapshots", "20260101T000000.000Z.partial-1")).FullName;
        var halfRestore = Directory.CreateDirectory(Store + ".restoring-2.partial-3").FullName;

        ReadThroughFactory();

        Assert.False(Directory.Exists(halfSnapshot));
        Assert.False(Directory.Exists(halfRestore));
    }

    private string SnapshotHolding(string value)
    {
        var source = Path.Combine(_data, "source");
        Write(source, value);
        var snapshot = Path.Combine(_data, "snapshot");
        using (var store = new RocksDbDiskStore(source)) store.CreateSnapshot(snapshot);
        return snapshot;
    }

    private static void Write(string folder, string value)
    {
        using var store = new RocksDbDiskStore(folder);
        store.Write(0, [new StoreWrite("k"u8.ToArray(), RecordCodec.Encode(new StoredRecord(ValueKind.String, 0, Encoding.UTF8.GetBytes(value))))]);
    }

    private string? ReadThroughFactory()
    {
        using var store = DiskStoreFactory.Open("rocksdb", _data);
        return store.MultiGet(0, ["k"u8.ToArray()])[0] is { } record ? Encoding.UTF8.GetString(RecordCodec.Decode(record).Payload) : null;
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
