using ActorCache.DiskIo;
using ActorCache.Keyspace;
using ActorCache.Tests.Support;
using Akka.Actor;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Faults;

/// <summary>
/// A store that throws something other than a disk failure (a bug) makes the DiskIoActor throw: its parent restarts it,
/// the job it was running is run once more ahead of the jobs queued behind it, and a job that throws twice is answered
/// with the error. No keyspace waits for ever and the node keeps serving.
/// </summary>
public sealed class DiskIoRestartSpec(ITestOutputHelper output) : NodeSpec(output)
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_load_that_hits_a_bug_once_is_run_again_after_the_restart_and_succeeds()
    {
        Store.Seed("k", "on disk");
        Store.ThrowUnexpectedFor("k");
        var (_, client) = await StartNodeAsync();

        Assert.Equal("on disk", await client.GetAsync("k").WaitAsync(Liveness));

        Assert.Equal(2, Store.ReadsOf("k"));
        await client.SetAsync("other", "v");
        Assert.Equal("v", await client.GetAsync("other"));
    }

    [Fact]
    public async Task A_save_that_hits_a_bug_once_is_run_again_after_the_restart_and_lands_on_disk()
    {
        var (node, client) = await StartNodeAsync();
        Store.ThrowUnexpectedFor("k");

        await client.SetAsync("k", "v");
        await node.FlushAsync(Liveness);

        Assert.Equal("v", Store.StoredString("k"));
        Assert.Equal(0, (await StatsOf(node)).SaveFailures);
        Assert.Equal("v", await client.GetAsync("k"));
    }

    [Fact]
    public async Task A_load_that_hits_the_bug_twice_is_answered_with_the_error_and_the_next_read_works()
    {
        Store.Seed("k", "on disk");
        Store.ThrowUnexpectedFor("k", times: 2);
        var (_, client) = await StartNodeAsync();

        var failed = Text(await client.ExecuteAsync("GET", "k").WaitAsync(Liveness));

        Assert.StartsWith("ERR disk load failed", failed);
        Assert.Contains("injected bug", failed);
        Assert.Equal("on disk", await client.GetAsync("k"));
    }

    [Fact]
    public async Task A_save_that_hits_the_bug_twice_fails_like_a_disk_error_and_is_saved_later()
    {
        var (node, client) = await StartNodeAsync(Settings(s => s with { SaveRetryMinBackoff = TimeSpan.FromMilliseconds(5) }));
        Store.ThrowUnexpectedFor("k", times: 2);

        await client.SetAsync("k", "v");
        await node.FlushAsync(Liveness);

        Assert.Equal("v", Store.StoredString("k"));
        Assert.Equal(1, (await StatsOf(node)).SaveFailures);
    }

    [Fact]
    public async Task The_job_run_again_after_a_restart_goes_before_the_jobs_queued_behind_it()
    {
        var diskIo = Sys.ActorOf(DiskIoActor.Props(Store));
        Store.ThrowUnexpectedFor("k");
        Store.HoldWrites();

        diskIo.Tell(new SaveJob(0, [new SaveItem(Bytes("k"), new StringValue(Bytes("saved")), 0)]), TestActor);
        await AwaitConditionAsync(() => Task.FromResult(Store.WriterIsWaiting));
        diskIo.Tell(new LoadJob(0, 0, [Bytes("k")]), TestActor);
        Store.ReleaseWrites();

        var saved = await ExpectMsgAsync<SaveJobDone>();
        Assert.Null(Assert.Single(saved.Errors));
        var loaded = await ExpectMsgAsync<LoadJobDone>();
        Assert.Equal("saved", System.Text.Encoding.UTF8.GetString(((StringValue)loaded.Results[0].Value!).Bytes));
    }

    [Fact]
    public async Task The_keyspaces_keep_their_dirty_keys_while_the_disk_io_actor_restarts()
    {
        var (node, client) = await StartNodeAsync(Settings(s => s with { CacheFlushDelay = TimeSpan.FromHours(1) }));
        await client.SetAsync("dirty", "kept in memory");
        Store.ThrowUnexpectedFor("absent", times: 2);

        Assert.StartsWith("ERR disk load failed", Text(await client.ExecuteAsync("GET", "absent").WaitAsync(Liveness)));

        Assert.Equal("kept in memory", await client.GetAsync("dirty"));
        Assert.Equal(1, (await StatsOf(node)).DirtyKeys);
        await node.FlushAsync(Liveness);
        Assert.Equal("kept in memory", Store.StoredString("dirty"));
    }
}
