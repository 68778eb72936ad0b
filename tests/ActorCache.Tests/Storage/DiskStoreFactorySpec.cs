using ActorCache.Storage;
using Xunit;

namespace ActorCache.Tests.Storage;

public sealed class DiskStoreFactorySpec : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "actorcache-factory-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Rocksdb_backend_opens_in_the_rocksdb_sub_folder()
    {
        using var store = DiskStoreFactory.Open("rocksdb", _folder);

        Assert.IsType<RocksDbDiskStore>(store);
        Assert.True(Directory.Exists(Path.Combine(_folder, "rocksdb")));
    }

    [Fact]
    public void File_backend_opens_in_the_files_sub_folder()
    {
        using var store = DiskStoreFactory.Open("file", _folder);

        Assert.IsType<FileDiskStore>(store);
        Assert.True(Directory.Exists(Path.Combine(_folder, "files")));
    }

    [Fact]
    public void Unknown_backend_is_rejected_with_the_valid_names()
    {
        var error = Assert.Throws<ArgumentException>(() => DiskStoreFactory.Open("leveldb", _folder));

        Assert.Contains("leveldb", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"rocksdb\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"file\"", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder));
    }

    [Theory]
    [InlineData("rocksdb")]
    [InlineData("file")]
    public void A_write_through_node_opens_its_store_with_every_write_synced(string backend)
    {
        using (var synced = DiskStoreFactory.Open(backend, _folder, syncWrites: true))
        {
            Assert.EndsWith("every write synced", synced.Description, StringComparison.Ordinal);
        }

        using var plain = DiskStoreFactory.Open(backend, _folder);
        Assert.DoesNotContain("synced", plain.Description, StringComparison.Ordinal);
    }
}
