using System.Text;
using ActorCache.Storage;
using Xunit;

namespace ActorCache.Tests.Storage;

/// <summary>
/// A write of several keys to the file store is atomic across a crash: the journal written before any key file changes
/// is replayed at the next open, and a torn journal (a crash while writing it) is discarded with nothing applied.
/// A crash is simulated by a hook that throws from inside <see cref="FileDiskStore.Write"/> and a store that is never
/// used again, as a killed process would leave it.
/// </summary>
public sealed class FileStoreJournalSpec : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("actorcache-journal-").FullName;

    private string JournalPath => Path.Combine(_folder, FileStoreJournal.FileName);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_journal_left_by_a_crash_before_any_rename_is_replayed_at_open()
    {
        WriteOldValues();

        CrashDuringBatch(atWrite: 0);
        Assert.True(File.Exists(JournalPath));

        using var reopened = new FileDiskStore(_folder);
        AssertNewValues(reopened);
        Assert.Equal(3, reopened.ReplayedJournalWrites);
        Assert.False(reopened.DiscardedTornJournal);
        Assert.False(File.Exists(JournalPath));
    }

    [Fact]
    public void A_crash_between_the_renames_is_finished_at_open()
    {
        WriteOldValues();

        CrashDuringBatch(atWrite: 2);

        Assert.Equal("new-a", ReadRaw("a"));
        Assert.Equal("old-c", ReadRaw("c"));

        using var reopened = new FileDiskStore(_folder);
        AssertNewValues(reopened);
        Assert.Equal(3, reopened.ReplayedJournalWrites);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(12)]
    [InlineData(60)]
    public void A_truncated_journal_is_ignored_and_the_old_values_stay(int bytesCut)
    {
        WriteOldValues();
        CrashDuringBatch(atWrite: 0);
        var journal = File.ReadAllBytes(JournalPath);
        File.WriteAllBytes(JournalPath, journal[..(journal.Length - bytesCut)]);

        using var reopened = new FileDiskStore(_folder);

        AssertOldValues(reopened);
        Assert.True(reopened.DiscardedTornJournal);
        Assert.Equal(0, reopened.ReplayedJournalWrites);
        Assert.False(File.Exists(JournalPath));
    }

    [Fact]
    public void A_journal_with_a_flipped_byte_is_ignored_and_the_old_values_stay()
    {
        WriteOldValues();
        CrashDuringBatch(atWrite: 0);
        var journal = File.ReadAllBytes(JournalPath);
        journal[^3] ^= 0x40;
        File.WriteAllBytes(JournalPath, journal);

        using var reopened = new FileDiskStore(_folder);

        AssertOldValues(reopened);
        Assert.True(reopened.DiscardedTornJournal);
    }

    [Fact]
    public void A_single_key_write_needs_no_journal()
    {
        using var store = new FileDiskStore(_folder);
        var journalSeen = new List<bool>();
        store.BeforeApplyingWrite = _ => journalSeen.Add(File.Exists(JournalPath));

        store.Write(0, [Put("a", "v")]);
        store.Write(0, [Put("a", "w"), Put("b", "w")]);

        Assert.Equal([false, true, true], journalSeen);
        Assert.False(File.Exists(JournalPath));
    }

    [Fact]
    public void A_batch_that_failed_half_way_is_finished_before_the_next_write()
    {
        using var store = new FileDiskStore(_folder);
        store.Write(0, [Put("a", "old-a"), Put("b", "old-b")]);
        store.BeforeApplyingWrite = i => throw new IOException("injected: No space left on device");
        Assert.Throws<IOException>(() => store.Write(0, [Put("a", "new-a"), Put("b", "new-b")]));
        store.BeforeApplyingWrite = null;

        store.Write(0, [Put("other", "x")]);

        Assert.Equal(Value("new-a"), store.MultiGet(0, [Key("a")])[0]);
        Assert.Equal(Value("new-b"), store.MultiGet(0, [Key("b")])[0]);
        Assert.False(File.Exists(JournalPath));
    }

    [Fact]
    public void Replaying_a_journal_whose_writes_all_landed_changes_nothing()
    {
        using (var store = new FileDiskStore(_folder))
        {
            store.Write(0, [Put("a", "new-a"), Put("b", "new-b"), new StoreWrite(Key("c"), null)]);
        }

        FileStoreJournal.Write(JournalPath, 0, [Put("a", "new-a"), Put("b", "new-b"), new StoreWrite(Key("c"), null)]);

        using var reopened = new FileDiskStore(_folder);
        AssertNewValues(reopened);
        Assert.Equal(3, reopened.ReplayedJournalWrites);
    }

    private void WriteOldValues()
    {
        using var store = new FileDiskStore(_folder);
        store.Write(0, [Put("a", "old-a"), Put("b", "old-b"), Put("c", "old-c")]);
    }

    /// <summary>Starts the batch a=new, b=new, delete c and "kills the process" just before write <paramref name="atWrite"/>.</summary>
    private void CrashDuringBatch(int atWrite)
    {
        var store = new FileDiskStore(_folder);
        store.BeforeApplyingWrite = i =>
        {
            if (i == atWrite) throw new SimulatedCrash();
        };
        Assert.Throws<SimulatedCrash>(() => store.Write(0, [Put("a", "new-a"), Put("b", "new-b"), new StoreWrite(Key("c"), null)]));
    }

    private static void AssertNewValues(IDiskStore store)
    {
        var values = store.MultiGet(0, [Key("a"), Key("b"), Key("c")]);
        Assert.Equal(Value("new-a"), values[0]);
        Assert.Equal(Value("new-b"), values[1]);
        Assert.Null(values[2]);
    }

    private static void AssertOldValues(IDiskStore store)
    {
        var values = store.MultiGet(0, [Key("a"), Key("b"), Key("c")]);
        Assert.Equal(Value("old-a"), values[0]);
        Assert.Equal(Value("old-b"), values[1]);
        Assert.Equal(Value("old-c"), values[2]);
    }

    /// <summary>The value of <paramref name="key"/> as the files hold it now, read without opening a store (which would replay).</summary>
    private string? ReadRaw(string key)
    {
        var name = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Key(key)));
        var path = Path.Combine(_folder, "db0", name[..2], name[2..4], name);
        if (!File.Exists(path)) return null;
        var content = File.ReadAllBytes(path);
        return Encoding.UTF8.GetString(RecordCodec.Decode(content.AsSpan(9 + key.Length)).Payload);
    }

    private static byte[] Key(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Value(string text) => RecordCodec.Encode(new StoredRecord(ValueKind.String, 0, Encoding.UTF8.GetBytes(text)));

    private static StoreWrite Put(string key, string value) => new(Key(key), Value(value));

    private sealed class SimulatedCrash : Exception;
}
