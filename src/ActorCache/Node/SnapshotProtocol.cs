using Akka.Actor;

namespace ActorCache.Node;

// Messages of snapshots (SAVE, BGSAVE, LASTSAVE). They stay in the process: front ends reach them through
// ActorCacheNode's administration methods.

/// <summary>Take a snapshot now; the node answers <see cref="SnapshotCompleted"/> when it is on disk or has failed.</summary>
internal sealed class TakeSnapshot : INoSerializationVerificationNeeded
{
    public static readonly TakeSnapshot Instance = new();

    private TakeSnapshot()
    {
    }
}

/// <summary>The outcome of a <see cref="TakeSnapshot"/>: the snapshot's folder and time, or why there is none.</summary>
internal sealed record SnapshotCompleted(string Directory, DateTimeOffset At, string? Error) : INoSerializationVerificationNeeded
{
    public bool Succeeded => Error is null;
}

/// <summary>Asks the node for <see cref="SnapshotStatus"/>.</summary>
internal sealed class GetSnapshotStatus : INoSerializationVerificationNeeded
{
    public static readonly GetSnapshotStatus Instance = new();

    private GetSnapshotStatus()
    {
    }
}

/// <summary>
/// What LASTSAVE and INFO persistence report: when the last snapshot succeeded (the node's start until one has),
/// whether one runs now, and the last one's outcome.
/// </summary>
internal sealed record SnapshotStatus(DateTimeOffset LastSave, bool InProgress, string? LastError, string? LastDirectory) : INoSerializationVerificationNeeded;
