using ActorCache.Keyspace;
using ActorCache.Protocol;
using Akka.Actor;

namespace ActorCache.Node;

/// <summary>
/// Answers one <see cref="GetStats"/>: asks every keyspace for its <see cref="KeyspaceStats"/>, puts each in its
/// database's place, answers <c>replyTo</c> with the <see cref="NodeStats"/> and stops. A keyspace that does not answer
/// within <see cref="GiveUpAfter"/> (it was stopping) leaves the caller to its own timeout rather than a partial answer.
/// </summary>
internal sealed class StatsGatherActor : ReceiveActor
{
    /// <summary>Longer than any caller waits, so the actor never outlives a call for long.</summary>
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    private readonly IReadOnlyList<IActorRef> _keyspaces;
    private readonly IActorRef _replyTo;
    private readonly long _maxMemory;
    private readonly DatabaseStats?[] _databases;
    private int _outstanding;

    public StatsGatherActor(IReadOnlyList<IActorRef> keyspaces, IActorRef replyTo, long maxMemory)
    {
        _keyspaces = keyspaces;
        _replyTo = replyTo;
        _maxMemory = maxMemory;
        _databases = new DatabaseStats?[keyspaces.Count];
        _outstanding = keyspaces.Count;
        Receive<KeyspaceStats>(HandleStats);
        Receive<ReceiveTimeout>(HandleTimeout);
    }

    public static Props Props(IReadOnlyList<IActorRef> keyspaces, IActorRef replyTo, long maxMemory) =>
        Akka.Actor.Props.Create(() => new StatsGatherActor(keyspaces, replyTo, maxMemory));

    protected override void PreStart()
    {
        if (_outstanding == 0)
        {
            Answer();
            return;
        }

        Context.SetReceiveTimeout(GiveUpAfter);
        foreach (var keyspace in _keyspaces) keyspace.Tell(GetKeyspaceStats.Instance, Self);
    }

    private void HandleStats(KeyspaceStats stats)
    {
        var database = IndexOf(Sender);
        if (database < 0 || _databases[database] is not null) return;
        _databases[database] = ToDatabaseStats(stats);
        if (--_outstanding == 0) Answer();
    }

    private void HandleTimeout(ReceiveTimeout timeout) => Context.Stop(Self);

    private int IndexOf(IActorRef keyspace)
    {
        for (var i = 0; i < _keyspaces.Count; i++)
        {
            if (_keyspaces[i].Equals(keyspace)) return i;
        }

        return -1;
    }

    private void Answer()
    {
        _replyTo.Tell(new NodeStats(_maxMemory, _databases.Select(d => d!).ToArray()));
        Context.Stop(Self);
    }

    /// <summary>The public, plain-typed view of a keyspace's figures (the same ones INFO shows).</summary>
    internal static DatabaseStats ToDatabaseStats(KeyspaceStats s) => new(
        KeysInMemory: s.KeysInMemory,
        UsedMemory: s.UsedMemory,
        Hits: s.Hits,
        Misses: s.Misses,
        NegativeCacheHits: s.NegativeCacheHits,
        DiskLoads: s.DiskLoads,
        DiskSaves: s.SavesCompleted,
        DiskSaveFailures: s.SaveFailures,
        EvictedKeys: s.EvictedKeys,
        DirtyKeys: s.DirtyKeys,
        IoQueueLength: s.QueuedLoads + s.QueuedSaves,
        JobsInFlight: s.JobsInFlight,
        ParkedRequests: s.ParkedRequests,
        NegativeCacheEntries: s.NegativeCacheEntries);
}
