using System.Diagnostics;
using System.Text;
using ActorCache.Storage;

namespace ActorCache.Benchmarks.Startup;

/// <summary>A RocksDB data folder with <c>count</c> string keys in database 0, written directly with the store, once.</summary>
public static class DataSet
{
    private const string MarkerFile = "dataset.txt";
    private const int BatchSize = 10_000;

    public static string KeyOf(int i) => $"key:{i:D8}";

    /// <summary>Writes the data set into <paramref name="dataDirectory"/> unless a complete one of the same shape is there.</summary>
    public static void Prepare(string dataDirectory, int count, int valueSize)
    {
        var marker = Path.Combine(dataDirectory, MarkerFile);
        var shape = $"keys={count} value-size={valueSize}";
        if (File.Exists(marker) && File.ReadAllText(marker).Trim() == shape)
        {
            Console.WriteLine($"data set: reusing {dataDirectory} ({shape})");
            return;
        }

        if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
        Directory.CreateDirectory(dataDirectory);
        Console.WriteLine($"data set: writing {count:N0} keys of {valueSize} bytes to {dataDirectory} ...");
        var clock = Stopwatch.StartNew();
        var random = new Random(42);
        using (var store = new RocksDbDiskStore(Path.Combine(dataDirectory, DiskStoreFactory.RocksDbBackend)))
        {
            var batch = new List<StoreWrite>(BatchSize);
            for (var i = 0; i < count; i++)
            {
                var payload = new byte[valueSize];
                random.NextBytes(payload);
                batch.Add(new StoreWrite(Encoding.UTF8.GetBytes(KeyOf(i)), RecordCodec.Encode(new StoredRecord(ValueKind.String, 0, payload))));
                if (batch.Count == BatchSize || i == count - 1)
                {
                    store.Write(0, batch);
                    batch.Clear();
                }
            }
        }

        File.WriteAllText(marker, shape);
        Console.WriteLine($"data set: written in {clock.Elapsed.TotalSeconds:F1} s, {FolderBytes(dataDirectory) / (1024.0 * 1024):F0} MiB on disk");
    }

    public static long FolderBytes(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
}
