using System.Text;
using ActorCache.Storage;
using Xunit;

namespace ActorCache.Tests.Storage;

/// <summary>A snapshot of each real store is a consistent copy that opens on its own and can be restored in place of the store.</summary>
public abstract class SnapshotSpec : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("actorcache-snapshot-").FullName;

    protected abstract string Backend { get; }

    private string DataDirectory => Path.Combine(_folder, "data");

    private string SnapshotDirectory => Path.Combine(_folder, "snapshots", "first");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_snapshot_reopens_with_exactly_the_data_at_snapshot_time()
    {
        using (var store = DiskStoreFactory.Open(Backend, DataDirectory))
        {
            store.Write(0, [Put("kept", "1"), Put("changed", "before"), Put("deleted-before", "x")]);
            store.Write(0, [Delete("deleted-before")]);
            store.Write(3, [Put("other-db", "3")]);

            store.CreateSnapshot(SnapshotDirectory);

            store.Write(0, [Put("changed", "after"), Put("added-after", "y"), Delete("kept")]);
            store.DeleteDatabase(3);
        }

        Restore(SnapshotDirectory, Path.Combine(_folder, "opened-snapshot"));
        using var snapshot = DiskStoreFactory.Open(Backend, Path.Combine(_folder, "opened-snapshot"));
        Assert.Equal(["changed", "kept"], Keys(snapshot, 0));
        Assert.Equal(Value("before"), snapshot.MultiGet(0, [Key("changed")])[0]);
        Assert.Equal(Value("1"), snapshot.MultiGet(0, [Key("kept")])[0]);
        Assert.Equal(["other-db"], Keys(snapshot, 3));
    }

    [Fact]
    public void Restore_then_open_gives_the_snapshots_data_in_place_of_the_store()
    {
        using (var store = DiskStoreFactory.Open(Backend, DataDirectory))
        {
            store.Write(0, [Put("a", "snapshot"), Put("b", "snapshot")]);
            store.CreateSnapshot(SnapshotDirectory);
            store.Write(0, [Put("a", "later"), Put("c", "later"), Delete("b")]);
        }

        DiskStoreFactory.Restore(Backend, SnapshotDirectory, DataDirectory);

        using var restored = DiskStoreFactory.Open(Backend, DataDirectory);
        Assert.Equal(["a", "b"], Keys(restored, 0));
        Assert.Equal(Value("snapshot"), restored.MultiGet(0, [Key("a")])[0]);
        Assert.True(Directory.Exists(SnapshotDirectory), "the snapshot is left as it was");
        Assert.Single(Directory.EnumerateDirectories(DataDirectory));
    }

    [Fact]
    public void A_restored_store_takes_writes_without_touching_the_snapshot()
    {
        using (var store = DiskStoreFactory.Open(Backend, DataDirectory))
        {
            store.Write(0, [Put("a", "snapshot")]);
            store.CreateSnapshot(SnapshotDirectory);
        }

        DiskStoreFactory.Restore(Backend, SnapshotDirectory, DataDirectory);
        using (var restored = DiskStoreFactory.Open(Backend, DataDirectory))
        {
            restored.Write(0, [Put("a", "after restore")]);
        }

        DiskStoreFactory.Restore(Backend, SnapshotDirectory, DataDirectory);
        using var again = DiskStoreFactory.Open(Backend, DataDirectory);
        Assert.Equal(Value("snapshot"), again.MultiGet(0, [Key("a")])[0]);
    }

    [Fact]
    public void A_snapshot_into_an_existing_folder_is_refused()
    {
        using var store = DiskStoreFactory.Open(Backend, DataDirectory);
        Directory.CreateDirectory(SnapshotDirectory);

        var error = Assert.Throws<IOException>(() => store.CreateSnapshot(SnapshotDirectory));

        Assert.Contains(SnapshotDirectory, error.Message, StringComparison.Ordinal);
        Assert.Contains("exists already", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_from_a_missing_folder_names_it_and_leaves_the_store_alone()
    {
        using (var store = DiskStoreFactory.Open(Backend, DataDirectory))
        {
            store.Write(0, [Put("a", "live")]);
        }

        var missing = Path.Combine(_folder, "no-such-snapshot");
        var error = Assert.Throws<DirectoryNotFoundException>(() => DiskStoreFactory.Restore(Backend, missing, DataDirectory));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        using var untouched = DiskStoreFactory.Open(Backend, DataDirectory);
        Assert.Equal(Value("live"), untouched.MultiGet(0, [Key("a")])[0]);
    }

    [Fact]
    public void Restore_from_a_folder_that_is_not_a_snapshot_of_this_backend_is_refused()
    {
        var other = Backend == DiskStoreFactory.RocksDbBackend ? DiskStoreFactory.FileBackend : DiskStoreFactory.RocksDbBackend;
        using (var store = DiskStoreFactory.Open(other, Path.Combine(_folder, "other")))
        {
            store.CreateSnapshot(SnapshotDirectory);
        }

        var error = Assert.Throws<ArgumentException>(() => DiskStoreFactory.Restore(Backend, SnapshotDirectory, DataDirectory));

        Assert.Contains($"not a snapshot of the {Backend} store", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(DataDirectory));
    }

    [Fact]
    public void Restore_refuses_a_snapshot_inside_the_store_it_would_replace()
    {
        using (var store = DiskStoreFactory.Open(Backend, DataDirectory))
        {
            store.CreateSnapshot(Path.Combine(_folder, "outside"));
        }

        var storeFolder = Directory.EnumerateDirectories(DataDirectory).Single();
        var inside = Path.Combine(storeFolder, "snapshot");
        CopyFolder(Path.Combine(_folder, "outside"), inside);

        var error = Assert.Throws<ArgumentException>(() => DiskStoreFactory.Restore(Backend, inside, DataDirectory));
        Assert.Contains("overlaps", error.Message, StringComparison.Ordinal);
    }

    private void Restore(string snapshot, string dataDirectory) => DiskStoreFactory.Restore(Backend, snapshot, dataDirectory);

    private static List<string> Keys(IDiskStore store, int database)
    {
        var keys = new List<string>();
        ulong cursor = 0;
        do
        {
            var page = store.Scan(database, cursor, 100);
            keys.AddRange(page.Entries.Select(e => Encoding.UTF8.GetString(e.Key)));
            cursor = page.NextCursor;
        }
        while (cursor != 0);

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    private static void CopyFolder(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source)) File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        foreach (var folder in Directory.EnumerateDirectories(source)) CopyFolder(folder, Path.Combine(destination, Path.GetFileName(folder)));
    }

    protected static byte[] Key(string text) => Encoding.UTF8.GetBytes(text);

    protected static byte[] Value(string text) => RecordCodec.Encode(new StoredRecord(ValueKind.String, 0, Encoding.UTF8.GetBytes(text)));

    protected static StoreWrite Put(string key, string value) => new(Key(key), Value(value));

    private static StoreWrite Delete(string key) => new(Key(key), null);
}

public sealed class RocksDbSnapshotSpec : SnapshotSpec
{
    protected override string Backend => DiskStoreFactory.RocksDbBackend;
}

public sealed class FileSnapshotSpec : SnapshotSpec
{
    protected override string Backend => DiskStoreFactory.FileBackend;

    [Fact]
    public void A_snapshot_inside_the_store_folder_is_refused_before_anything_is_created()
    {
        var data = Path.Combine(Path.GetTempPath(), "actorcache-snapshot-inside-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var store = new FileDiskStore(data);

            Assert.Throws<ArgumentException>(() => store.CreateSnapshot(Path.Combine(data, "snapshots", "one")));

            Assert.False(Directory.Exists(Path.Combine(data, "snapshots")));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void A_snapshot_of_the_file_store_holds_no_temp_files_or_journal()
    {
        var data = Path.Combine(Path.GetTempPath(), "actorcache-snapshot-files-" + Guid.NewGuid().ToString("N"));
        var snapshot = data + "-snapshot";
        try
        {
            using (var store = new FileDiskStore(data))
            {
                store.Write(0, [Put("a", "1"), Put("b", "2")]);
                File.WriteAllBytes(Path.Combine(data, "db0", "stray.tmp"), [1, 2, 3]);

                store.CreateSnapshot(snapshot);
            }

            var files = Directory.EnumerateFiles(snapshot, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
            Assert.Contains(FileDiskStore.FormatFileName, files);
            Assert.DoesNotContain("stray.tmp", files);
            Assert.DoesNotContain(FileStoreJournal.FileName, files);
            Assert.Equal(3, files.Count);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
            Directory.Delete(snapshot, recursive: true);
        }
    }
}
