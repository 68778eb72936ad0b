using System.Security.Cryptography;
using System.Text;
using ActorCache.Storage;
using Xunit;

namespace ActorCache.Tests.Storage;

/// <summary>The behaviour every <see cref="IDiskStore"/> must have; each backend runs it through a subclass.</summary>
public abstract class DiskStoreContractSpec : IDisposable
{
    private IDiskStore _store;

    protected DiskStoreContractSpec()
    {
        Folder = Path.Combine(Path.GetTempPath(), "actorcache-store-" + Guid.NewGuid().ToString("N"));
        _store = Open(Folder);
    }

    protected string Folder { get; }

    protected IDiskStore Store => _store;

    protected abstract IDiskStore Open(string folder);

    public void Dispose()
    {
        _store.Dispose();
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    protected void Reopen()
    {
        _store.Dispose();
        _store = Open(Folder);
    }

    protected static byte[] Key(string text) => Encoding.UTF8.GetBytes(text);

    protected static byte[] Value(string text) =>
        RecordCodec.Encode(new StoredRecord(ValueKind.String, 0, Encoding.UTF8.GetBytes(text)));

    protected static StoreWrite Put(string key, string value) => new(Key(key), Value(value));

    protected static StoreWrite Delete(string key) => new(Key(key), null);

    protected byte[]? Get(int database, byte[] key) => Store.MultiGet(database, [key])[0];

    protected byte[]? Get(int database, string key) => Get(database, Key(key));

    protected List<StoreEntry> ScanAll(int database, int count)
    {
        var all = new List<StoreEntry>();
        ulong cursor = 0;
        do
        {
            var page = Store.Scan(database, cursor, count);
            all.AddRange(page.Entries);
            cursor = page.NextCursor;
        }
        while (cursor != 0);

        return all;
    }

    [Fact]
    public void Written_values_read_back_after_reopen()
    {
        Store.Write(0, [Put("a", "1"), Put("b", "2")]);

        Reopen();

        Assert.Equal(Value("1"), Get(0, "a"));
        Assert.Equal(Value("2"), Get(0, "b"));
    }

    [Fact]
    public void Deletes_survive_reopen()
    {
        Store.Write(0, [Put("a", "1")]);
        Store.Write(0, [Delete("a")]);

        Reopen();

        Assert.Null(Get(0, "a"));
    }

    [Fact]
    public void Delete_removes_only_that_key()
    {
        Store.Write(0, [Put("a", "1"), Put("b", "2"), Put("c", "3")]);

        Store.Write(0, [Delete("b")]);

        Assert.Equal(Value("1"), Get(0, "a"));
        Assert.Null(Get(0, "b"));
        Assert.Equal(Value("3"), Get(0, "c"));
        Assert.Equal(2, ScanAll(0, 10).Count);
    }

    [Fact]
    public void Deleting_a_missing_key_is_not_an_error()
    {
        Store.Write(3, [Delete("never-written")]);

        Assert.Null(Get(3, "never-written"));
    }

    [Fact]
    public void MultiGet_returns_null_for_missing_keys()
    {
        Store.Write(0, [Put("present", "x")]);

        var values = Store.MultiGet(0, [Key("missing-1"), Key("present"), Key("missing-2")]);

        Assert.Equal(3, values.Count);
        Assert.Null(values[0]);
        Assert.Equal(Value("x"), values[1]);
        Assert.Null(values[2]);
    }

    [Fact]
    public void MultiGet_of_no_keys_returns_an_empty_list()
    {
        Assert.Empty(Store.MultiGet(0, []));
    }

    [Fact]
    public void Later_write_of_the_same_key_wins_within_one_batch()
    {
        Store.Write(0, [Put("k", "first"), Put("k", "second"), Put("gone", "x"), Delete("gone"), Delete("back"), Put("back", "y")]);

        Assert.Equal(Value("second"), Get(0, "k"));
        Assert.Null(Get(0, "gone"));
        Assert.Equal(Value("y"), Get(0, "back"));
    }

    [Fact]
    public void Later_write_of_the_same_key_wins_across_batches()
    {
        Store.Write(0, [Put("k", "first")]);
        Store.Write(0, [Put("k", "second")]);

        Assert.Equal(Value("second"), Get(0, "k"));
        Reopen();
        Assert.Equal(Value("second"), Get(0, "k"));
        Assert.Single(ScanAll(0, 10));
    }

    [Fact]
    public void Databases_are_isolated()
    {
        Store.Write(0, [Put("k", "zero")]);
        Store.Write(1, [Put("k", "one")]);
        Store.Write(1, [Put("only-in-1", "x")]);

        Assert.Equal(Value("zero"), Get(0, "k"));
        Assert.Equal(Value("one"), Get(1, "k"));
        Assert.Null(Get(0, "only-in-1"));
        Assert.Null(Get(2, "k"));
        Assert.Single(ScanAll(0, 10));
        Assert.Equal(2, ScanAll(1, 10).Count);

        Store.Write(1, [Delete("k")]);
        Assert.Equal(Value("zero"), Get(0, "k"));
    }

    [Fact]
    public void DeleteDatabase_leaves_other_databases()
    {
        for (var db = 0; db < 3; db++)
        {
            Store.Write(db, Enumerable.Range(0, 50).Select(i => Put($"key-{i}", $"db{db}-{i}")).ToList());
        }

        Store.DeleteDatabase(1);

        Assert.All(Store.MultiGet(1, Enumerable.Range(0, 50).Select(i => Key($"key-{i}")).ToList()), Assert.Null);
        Assert.Empty(ScanAll(1, 1));
        Assert.Equal(50, ScanAll(0, 7).Count);
        Assert.Equal(50, ScanAll(2, 7).Count);
        Assert.Equal(Value("db2-3"), Get(2, "key-3"));

        Reopen();

        Assert.Empty(ScanAll(1, 1));
        Assert.Null(Get(1, "key-3"));
        Assert.Equal(Value("db0-3"), Get(0, "key-3"));
    }

    [Fact]
    public void A_deleted_database_takes_new_writes()
    {
        Store.Write(4, [Put("old", "1")]);
        Store.DeleteDatabase(4);

        Store.Write(4, [Put("new", "2")]);

        Assert.Null(Get(4, "old"));
        Assert.Equal(Value("2"), Get(4, "new"));
        Assert.Equal([Key("new")], ScanAll(4, 10).Select(e => e.Key));
    }

    [Fact]
    public void Deleting_an_empty_database_is_not_an_error()
    {
        Store.DeleteDatabase(9);

        Assert.Empty(ScanAll(9, 10));
    }

    [Fact]
    public void Empty_database_scan_returns_cursor_0()
    {
        var page = Store.Scan(5, 0, 10);

        Assert.Empty(page.Entries);
        Assert.Equal(0UL, page.NextCursor);

        Store.Write(5, [Put("k", "v")]);
        Store.Write(5, [Delete("k")]);
        page = Store.Scan(5, 0, 10);

        Assert.Empty(page.Entries);
        Assert.Equal(0UL, page.NextCursor);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(199)]
    [InlineData(200)]
    [InlineData(1000)]
    public void Scan_pages_cover_every_key_once_in_position_order(int count)
    {
        var keys = Enumerable.Range(0, 200).Select(i => Key($"key:{i}")).ToList();
        Store.Write(0, keys.Select((k, i) => new StoreWrite(k, Value($"v{i}"))).ToList());
        Store.Write(1, [Put("elsewhere", "x")]);

        var all = new List<StoreEntry>();
        ulong cursor = 0;
        var pages = 0;
        do
        {
            var page = Store.Scan(0, cursor, count);
            pages++;
            Assert.True(pages <= 201, "the scan does not terminate");
            if (page.NextCursor != 0)
            {
                Assert.True(page.Entries.Count >= count, "a page short of count before the end");
                Assert.True(page.NextCursor > KeyHash.ScanPosition(page.Entries[^1].Key), "the next cursor does not move past the page");
            }

            Assert.All(page.Entries, e => Assert.True(KeyHash.ScanPosition(e.Key) >= cursor));
            all.AddRange(page.Entries);
            cursor = page.NextCursor;
        }
        while (cursor != 0);

        var expected = keys.OrderBy(k => KeyHash.ScanPosition(k)).ToList();
        Assert.Equal(expected, all.Select(e => e.Key));
        Assert.All(all, e => Assert.Equal(Value($"v{keys.FindIndex(k => k.AsSpan().SequenceEqual(e.Key))}"), e.Value));
        Assert.Equal((200 + count - 1) / count, pages);
    }

    [Fact]
    public void Scan_from_a_cursor_returns_only_keys_at_or_after_it()
    {
        var keys = Enumerable.Range(0, 40).Select(i => Key($"k{i}")).ToList();
        Store.Write(0, keys.Select(k => new StoreWrite(k, Value("v"))).ToList());
        var ordered = keys.OrderBy(k => KeyHash.ScanPosition(k)).ToList();
        var cursor = KeyHash.ScanPosition(ordered[25]);

        var page = Store.Scan(0, cursor, 100);

        Assert.Equal(ordered.Skip(25), page.Entries.Select(e => e.Key));
        Assert.Equal(0UL, page.NextCursor);
    }

    [Fact]
    public void Binary_keys_with_zero_bytes_and_long_keys_round_trip()
    {
        var longKey = Enumerable.Range(0, 1000).Select(i => (byte)(i * 31)).ToArray();
        byte[][] keys =
        [
            [],
            [0],
            [0, 0],
            [0, 1, 0],
            [0xFF, 0xFE, 0x00, 0x2F, 0x5C, 0x2E],
            "../../etc/passwd"u8.ToArray(),
            longKey,
            [.. longKey, 0],
        ];
        Store.Write(2, keys.Select((k, i) => new StoreWrite(k, Value($"value-{i}"))).ToList());

        Reopen();

        var values = Store.MultiGet(2, keys);
        for (var i = 0; i < keys.Length; i++)
        {
            Assert.Equal(Value($"value-{i}"), values[i]);
        }

        var scanned = ScanAll(2, 3).Select(e => Convert.ToHexString(e.Key)).Order().ToList();
        Assert.Equal(keys.Select(Convert.ToHexString).Order(), scanned);
    }

    [Fact]
    public void Values_are_stored_as_given()
    {
        var large = RandomNumberGenerator.GetBytes(300_000);
        Store.Write(0, [new StoreWrite(Key("large"), large), new StoreWrite(Key("empty"), [])]);

        Reopen();

        Assert.Equal(large, Get(0, "large"));
        var empty = Get(0, "empty");
        Assert.NotNull(empty);
        Assert.Empty(empty);
    }

    [Fact]
    public void Database_indexes_outside_the_supported_range_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Store.MultiGet(-1, [Key("k")]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Store.Write(DiskStoreFactory.MaxDatabases, [Put("k", "v")]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Store.Scan(0, 0, 0));

        Store.Write(DiskStoreFactory.MaxDatabases - 1, [Put("k", "v")]);
        Store.DeleteDatabase(DiskStoreFactory.MaxDatabases - 1);
        Assert.Null(Get(DiskStoreFactory.MaxDatabases - 1, "k"));
    }

    [Fact]
    public void A_disposed_store_refuses_calls()
    {
        Store.Dispose();

        Assert.Throws<ObjectDisposedException>(() => Store.MultiGet(0, [Key("k")]));
        Reopen();
    }
}

public sealed class RocksDbDiskStoreSpec : DiskStoreContractSpec
{
    protected override IDiskStore Open(string folder) => new RocksDbDiskStore(folder);

    [Fact]
    public void Synced_writes_read_back_after_reopen()
    {
        Store.Dispose();
        using (var synced = new RocksDbDiskStore(Folder, syncWrites: true))
        {
            synced.Write(0, [Put("k", "v")]);
        }

        Reopen();

        Assert.Equal(Value("v"), Get(0, "k"));
    }

    [Fact]
    public void Description_names_the_backend_and_folder()
    {
        Assert.StartsWith("rocksdb at ", Store.Description, StringComparison.Ordinal);
        Assert.EndsWith(Path.GetFileName(Folder), Store.Description, StringComparison.Ordinal);
    }
}

public sealed class FileDiskStoreSpec : DiskStoreContractSpec
{
    protected override IDiskStore Open(string folder) => new FileDiskStore(folder);

    private string KeyFile(int database, string key)
    {
        var name = Convert.ToHexStringLower(SHA256.HashData(Key(key)));
        return Path.Combine(Folder, $"db{database}", name[..2], name[2..4], name);
    }

    [Fact]
    public void Key_files_follow_the_documented_layout()
    {
        Store.Write(3, [Put("k", "v")]);

        var bytes = File.ReadAllBytes(KeyFile(3, "k"));

        Assert.Equal([.. "ACFS"u8, 1, 1, 0, 0, 0, .. "k"u8, .. Value("v")], bytes);
    }

    [Fact]
    public void A_stray_temp_file_is_removed_at_open_and_never_read_as_a_key()
    {
        Store.Write(0, [Put("k", "saved")]);
        Store.Dispose();
        var keyFile = KeyFile(0, "k");
        var strayBesideKey = keyFile + ".tmp";
        File.WriteAllBytes(strayBesideKey, [.. "ACFS"u8, 1, 1, 0, 0, 0, .. "k"u8, .. Value("half-written")]);
        var orphan = KeyFile(0, "never-renamed") + ".tmp";
        Directory.CreateDirectory(Path.GetDirectoryName(orphan)!);
        File.WriteAllBytes(orphan, [1, 2, 3]);

        Reopen();

        Assert.False(File.Exists(strayBesideKey));
        Assert.False(File.Exists(orphan));
        Assert.Equal(Value("saved"), Get(0, "k"));
        Assert.Null(Get(0, "never-renamed"));
        Assert.Equal([Key("k")], ScanAll(0, 10).Select(e => e.Key));
    }

    [Fact]
    public void A_temp_file_present_while_open_is_not_scanned()
    {
        Store.Write(0, [Put("k", "v")]);
        File.WriteAllBytes(KeyFile(0, "k") + ".tmp", [9, 9, 9]);

        Assert.Equal([Key("k")], ScanAll(0, 10).Select(e => e.Key));
    }

    [Fact]
    public void A_key_file_with_a_bad_header_throws_CorruptRecordException_naming_the_file()
    {
        Store.Write(0, [Put("k", "v")]);
        var keyFile = KeyFile(0, "k");
        File.WriteAllBytes(keyFile, "XXXX"u8.ToArray());

        var error = Assert.Throws<CorruptRecordException>(() => Store.MultiGet(0, [Key("k")]));
        Assert.Contains(keyFile, error.Message, StringComparison.Ordinal);
        Assert.Throws<CorruptRecordException>(() => Store.Scan(0, 0, 10));
    }

    [Fact]
    public void A_key_file_with_a_truncated_key_throws_CorruptRecordException()
    {
        Store.Write(0, [Put("k", "v")]);
        var keyFile = KeyFile(0, "k");
        File.WriteAllBytes(keyFile, [.. "ACFS"u8, 1, 200, 0, 0, 0, .. "k"u8]);

        Assert.Throws<CorruptRecordException>(() => Store.MultiGet(0, [Key("k")]));
        Assert.Throws<CorruptRecordException>(() => Store.Scan(0, 0, 10));
    }

    [Fact]
    public void An_interrupted_database_delete_is_finished_at_open()
    {
        Store.Write(6, [Put("k", "v")]);
        Store.Dispose();
        Directory.Move(Path.Combine(Folder, "db6"), Path.Combine(Folder, "db6.deleting-0123"));

        Reopen();

        Assert.False(Directory.Exists(Path.Combine(Folder, "db6.deleting-0123")));
        Assert.Empty(ScanAll(6, 10));
    }

    [Fact]
    public void Description_names_the_backend_and_folder()
    {
        Assert.Equal($"file at {Folder}", Store.Description);
    }
}
