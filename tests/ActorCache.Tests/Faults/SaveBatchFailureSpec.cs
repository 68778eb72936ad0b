using ActorCache.DiskIo;
using ActorCache.Keyspace;
using ActorCache.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Faults;

/// <summary>
/// A save batch the disk refuses: an ordinary batch is retried key by key so one bad key holds no other back; an atomic
/// one (a transaction's keys, a snapshot's) fails as a whole and nothing of it reaches the disk.
/// </summary>
public sealed class SaveBatchFailureSpec(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact]
    public async Task An_ordinary_batch_with_one_failing_key_saves_the_others()
    {
        var diskIo = Sys.ActorOf(DiskIoActor.Props(Store));
        Store.FailWritesOf("bad");

        diskIo.Tell(new SaveJob(0, [Item("good", "g"), Item("bad", "b")]), TestActor);

        var done = await ExpectMsgAsync<SaveJobDone>();
        Assert.Null(done.Errors[0]);
        Assert.Contains("injected write failure for bad", done.Errors[1]);
        Assert.Equal("g", Store.StoredString("good"));
    }

    [Fact]
    public async Task An_atomic_batch_with_one_failing_key_saves_nothing_and_reports_every_key()
    {
        var diskIo = Sys.ActorOf(DiskIoActor.Props(Store));
        Store.FailWritesOf("bad");

        diskIo.Tell(new SaveJob(0, [Item("good", "g"), Item("bad", "b")]) { Atomic = true, ForSnapshot = true }, TestActor);

        var done = await ExpectMsgAsync<SaveJobDone>();
        Assert.All(done.Errors, error => Assert.Contains("injected write failure for bad", error));
        Assert.True(done.Atomic);
        Assert.True(done.ForSnapshot);
        Assert.Null(Store.StoredString("good"));
        Assert.Equal(1, Store.WriteAttempts.Count(a => a.Key == "good"));
    }

    private static SaveItem Item(string key, string value) => new(Bytes(key), new StringValue(Bytes(value)), 0);
}
