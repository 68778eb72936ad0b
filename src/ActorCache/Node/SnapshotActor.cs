using ActorCache.DiskIo;
using ActorCache.Keyspace;
using Akka.Actor;

namespace ActorCache.Node;

/// <summary>
/// Takes one snapshot: holds every keyspace at a point in time (each sends its dirty keys' values of that moment and
/// then nothing newer), has the DiskIoActor copy the store once all of them report the disk drained, then releases
/// them and reports to its parent. Whatever happens (an error, a timeout, this actor stopping) the keyspaces are
/// released: they watch it too.
/// </summary>
internal sealed class SnapshotActor : ReceiveActor, IWithTimers
{
    private readonly IReadOnlyList<IActorRef> _keyspaces;
    private readonly IActorRef _diskIo;
    private readonly string _directory;
    private readonly TimeSpan _timeout;
    private readonly long _token = Random.Shared.NextInt64();
    private int _keyspacesToDrain;

    public SnapshotActor(IReadOnlyList<IActorRef> keyspaces, IActorRef diskIo, string directory, TimeSpan timeout)
    {
        _keyspaces = keyspaces;
        _diskIo = diskIo;
        _directory = directory;
        _timeout = timeout;
        _keyspacesToDrain = keyspaces.Count;
        Receive<SavesHeldForSnapshot>(HandleSavesHeld);
        Receive<SnapshotJobDone>(HandleSnapshotJobDone);
        Receive<SnapshotTimedOut>(_ => Finish($"timed out after {_timeout.TotalSeconds:0.#} s waiting for the disk"));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IReadOnlyList<IActorRef> keyspaces, IActorRef diskIo, string directory, TimeSpan timeout) =>
        Akka.Actor.Props.Create(() => new SnapshotActor(keyspaces, diskIo, directory, timeout));

    protected override void PreStart()
    {
        Timers.StartSingleTimer("timeout", SnapshotTimedOut.Instance, _timeout);
        foreach (var keyspace in _keyspaces) keyspace.Tell(new HoldSavesForSnapshot(_token));
        if (_keyspaces.Count == 0) _diskIo.Tell(new SnapshotJob(_directory));
    }

    private void HandleSavesHeld(SavesHeldForSnapshot held)
    {
        if (held.Token != _token) return;
        if (held.Error is not null)
        {
            Finish(held.Error);
            return;
        }

        if (--_keyspacesToDrain == 0) _diskIo.Tell(new SnapshotJob(_directory));
    }

    private void HandleSnapshotJobDone(SnapshotJobDone done) => Finish(done.Error);

    private void Finish(string? error)
    {
        foreach (var keyspace in _keyspaces) keyspace.Tell(new ReleaseSnapshotHold(_token));
        Context.Parent.Tell(new SnapshotCompleted(_directory, DateTimeOffset.UtcNow, error));
        Context.Stop(Self);
    }

    private sealed class SnapshotTimedOut
    {
        public static readonly SnapshotTimedOut Instance = new();
    }
}
