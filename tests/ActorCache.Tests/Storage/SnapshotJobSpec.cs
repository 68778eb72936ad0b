using ActorCache.DiskIo;
using ActorCache.Storage;
using ActorCache.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Storage;

/// <summary>The DiskIoActor takes a snapshot when asked and answers the sender; every failure is the answer's error, never a crash.</summary>
public sealed class SnapshotJobSpec(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact]
    public async Task A_snapshot_job_writes_the_snapshot_and_answers_without_an_error()
    {
        using var store = new FileDiskStore(Path.Combine(DataDirectory, "files"));
        store.Write(0, [new StoreWrite(Bytes("k"), RecordCodec.Encode(new StoredRecord(ValueKind.String, 0, Bytes("v"))))]);
        var diskIo = Sys.ActorOf(DiskIoActor.Props(store));
        var snapshot = Path.Combine(DataDirectory, "snapshots", "one");

        diskIo.Tell(new SnapshotJob(snapshot), TestActor);

        Assert.Equal(new SnapshotJobDone(snapshot, null), await ExpectMsgAsync<SnapshotJobDone>());
        using var copy = new FileDiskStore(snapshot);
        Assert.NotNull(copy.MultiGet(0, [Bytes("k")])[0]);
    }

    [Fact]
    public async Task A_snapshot_into_an_existing_folder_is_answered_with_the_error()
    {
        using var store = new FileDiskStore(Path.Combine(DataDirectory, "files"));
        var diskIo = Sys.ActorOf(DiskIoActor.Props(store));
        var taken = Directory.CreateDirectory(Path.Combine(DataDirectory, "taken")).FullName;

        diskIo.Tell(new SnapshotJob(taken), TestActor);

        var done = await ExpectMsgAsync<SnapshotJobDone>();
        Assert.Contains("exists already", done.Error);
        diskIo.Tell(new SnapshotJob(Path.Combine(DataDirectory, "free")), TestActor);
        Assert.Null((await ExpectMsgAsync<SnapshotJobDone>()).Error);
    }

    [Fact]
    public async Task A_store_that_cannot_take_snapshots_is_answered_with_the_error()
    {
        var diskIo = Sys.ActorOf(DiskIoActor.Props(Store));

        diskIo.Tell(new SnapshotJob(Path.Combine(DataDirectory, "snapshot")), TestActor);

        Assert.Contains("cannot take snapshots", (await ExpectMsgAsync<SnapshotJobDone>()).Error);
    }

    [Fact]
    public async Task A_full_disk_fails_the_snapshot_with_its_error()
    {
        var diskIo = Sys.ActorOf(DiskIoActor.Props(Store));
        Store.WriteFault = DiskFault.NoSpace;

        diskIo.Tell(new SnapshotJob(Path.Combine(DataDirectory, "snapshot")), TestActor);

        Assert.Contains("No space left on device", (await ExpectMsgAsync<SnapshotJobDone>()).Error);
    }
}
