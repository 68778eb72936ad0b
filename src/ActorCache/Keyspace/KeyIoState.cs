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
/// A key's IO bookkeeping: its flags, the requests parked until its load completes (in arrival order) and its save
/// schedule. Exists only while the key has something going on.
/// </summary>
internal sealed class KeyIoState
{
    public KeyIoFlags Flags;

    public Queue<PendingRequest>? Parked;

    /// <summary>Monotonic ms when the queued save becomes due; the save-queue entry with another priority is stale.</summary>
    public long SaveDueAt;

    /// <summary>Monotonic ms before which a failed save may not be retried, even under a barrier.</summary>
    public long RetryNotBefore;

    public int ConsecutiveSaveFailures;

    /// <summary>A save became due while the previous save of this key was still in flight; it goes when that one returns.</summary>
    public bool SaveWaitsForInFlight;

    public bool Has(KeyIoFlags flag) => (Flags & flag) != 0;

    public bool IsIdle => Flags == KeyIoFlags.None && (Parked is null || Parked.Count == 0) && ConsecutiveSaveFailures == 0;
}
