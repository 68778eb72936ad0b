using Akka.Actor;

namespace ActorCache.Keyspace;

/// <summary>
/// The node's one memory budget (<c>cache-max-memory</c>), shared by all its keyspaces: the limit, and the sum of the
/// estimates each keyspace publishes of its own keys, values and entry overhead.
/// </summary>
/// <remarks>
/// This is the one piece of state keyspaces share, and it is deliberately only a figure: each keyspace still owns its
/// data alone, adds its own deltas with <see cref="Interlocked"/>, and no keyspace's correctness depends on another's
/// contribution. A keyspace reads the total to decide whether to evict or to hold a write back; a figure that is a
/// moment stale costs at most one write's worth of bytes per keyspace over the limit, never a wrong value. Keyspaces
/// publish only while a limit is set, so an unbounded node never touches the shared cache line (INFO sums the
/// keyspaces' own exact figures instead).
/// </remarks>
internal sealed class MemoryBudget(long limit)
{
    private long _used;
    private long _limit = limit;
    private IActorRef[] _keyspaces = [];

    /// <summary>Bytes allowed for the whole node; 0 = unbounded.</summary>
    public long Limit => Volatile.Read(ref _limit);

    /// <summary>Sum of the estimates the keyspaces have published.</summary>
    public long Used => Volatile.Read(ref _used);

    /// <summary>A limit is set and the node's estimate is above it.</summary>
    public bool IsOver => Limit is > 0 and var limit && Used > limit;

    /// <summary>Sets the limit from now on (CONFIG SET); keyspaces evict down to it when they next look.</summary>
    public void SetLimit(long limit) => Volatile.Write(ref _limit, limit);

    /// <summary>Adds a keyspace's change of its estimate.</summary>
    public void Add(long delta) => Interlocked.Add(ref _used, delta);

    /// <summary>The keyspaces sharing the budget, so that one that cannot free memory can ask the others to.</summary>
    public void Register(IActorRef[] keyspaces) => Volatile.Write(ref _keyspaces, keyspaces);

    /// <summary>Asks every keyspace but <paramref name="self"/> to evict down to the limit if it can.</summary>
    public void AskOthersToEvict(IActorRef self)
    {
        foreach (var keyspace in Volatile.Read(ref _keyspaces))
        {
            if (!keyspace.Equals(self)) keyspace.Tell(EvictForMemory.Instance, self);
        }
    }
}
