namespace ActorCache.Keyspace;

/// <summary>The seed's per-key IO flags.</summary>
[Flags]
internal enum KeyIoFlags
{
    None = 0,
    LoadQueued = 1,
    SaveQueued = 2,
    LoadInFlight = 4,
    SaveInFlight = 8,
    Loading = LoadQueued | LoadInFlight,
}

/// <summary>
/// A key's IO bookkeeping: its flags, the requests waiting for it (in arrival order) and its save schedule. Exists
/// only while the key has something going on.
/// </summary>
internal sealed class KeyIoState
{
    public KeyIoFlags Flags;

    /// <summary>
    /// Requests that need this key and have not run yet, in arrival order. A request waits in the queue of every key
    /// it needs and runs only from the head of all of them, so per-key arrival order holds for multi-key commands too.
    /// </summary>
    public LinkedList<PendingRequest>? Waiting;

    /// <summary>Monotonic ms when the queued save becomes due; the save-queue entry with another priority is stale.</summary>
    public long SaveDueAt;

    /// <summary>Monotonic ms before which a failed save may not be retried, even under a barrier.</summary>
    public long RetryNotBefore;

    public int ConsecutiveSaveFailures;

    /// <summary>Barrier generation of the first write the queued save carries (see the Barrier part of KeyspaceActor).</summary>
    public long QueuedGeneration;

    /// <summary>Barrier generation of the save in flight.</summary>
    public long InFlightGeneration;

    /// <summary>A save became due while the previous save of this key was still in flight; it goes when that one returns.</summary>
    public bool SaveWaitsForInFlight;

    /// <summary>Front-end connections watching the key (WATCH): while any does, the key stays in memory.</summary>
    public int Watchers;

    /// <summary>Counts the key's writes while it has IO state; a watcher compares it with what WATCH gave it.</summary>
    public long Version;

    /// <summary>
    /// Keys a transaction wrote together with this one: their queued saves go to the disk in one atomic job. Set only
    /// while the save is queued.
    /// </summary>
    public SaveGroup? SaveGroup;

    public bool Has(KeyIoFlags flag) => (Flags & flag) != 0;

    /// <summary>A save is queued or in flight: the disk does not yet hold what memory says.</summary>
    public bool HasPendingSave => Has(KeyIoFlags.SaveQueued | KeyIoFlags.SaveInFlight);

    public bool HasWaiting => Waiting is { Count: > 0 };

    public bool IsIdle => Flags == KeyIoFlags.None && !HasWaiting && ConsecutiveSaveFailures == 0 && Watchers == 0;
}

/// <summary>Keys whose queued saves must reach the disk in one write (a transaction's, DESIGN.md section 2).</summary>
internal sealed class SaveGroup
{
    public HashSet<CacheKey> Members { get; } = new();
}
