using ActorCache.Keyspace;
using Akka.Actor;

namespace ActorCache.DiskIo;

// Jobs a keyspace sends to the DiskIoActor and the completions it gets back. They never leave the process.

/// <summary>Read <see cref="Keys"/>; <see cref="Epoch"/> is echoed so the keyspace can drop results older than a FLUSHDB.</summary>
internal sealed record LoadJob(int Database, long Epoch, byte[][] Keys) : INoSerializationVerificationNeeded;

/// <summary>One key's load result: a value, nothing (absent on disk), or an error.</summary>
internal readonly record struct LoadedKey(byte[] Key, CacheValue? Value, long ExpireAtMs, string? Error);

internal sealed record LoadJobDone(int Database, long Epoch, LoadedKey[] Results) : INoSerializationVerificationNeeded;

/// <summary>A key's value at dispatch time, or a delete when <see cref="Value"/> is null.</summary>
internal readonly record struct SaveItem(byte[] Key, CacheValue? Value, long ExpireAtMs)
{
    public bool IsDelete => Value is null;
}

/// <summary>
/// Write <see cref="Items"/> as one batch. When <see cref="Atomic"/> (a transaction's keys, a snapshot's), a failed
/// batch is never split into single keys: either every item reaches the disk or none does.
/// <see cref="ForSnapshot"/> marks the extra saves a snapshot barrier sends; they carry no per-key bookkeeping.
/// </summary>
internal sealed record SaveJob(int Database, SaveItem[] Items) : INoSerializationVerificationNeeded
{
    public bool Atomic { get; init; }

    public bool ForSnapshot { get; init; }
}

/// <summary><see cref="Errors"/>[i] is null when <see cref="Items"/>[i] reached the disk; the flags echo the job's.</summary>
internal sealed record SaveJobDone(int Database, SaveItem[] Items, string?[] Errors) : INoSerializationVerificationNeeded
{
    public bool Atomic { get; init; }

    public bool ForSnapshot { get; init; }
}

/// <summary>Read the keys from scan position <see cref="Cursor"/> on (see <c>IDiskStore.Scan</c>).</summary>
internal sealed record ScanJob(int Database, long Epoch, long Token, ulong Cursor, int Count) : INoSerializationVerificationNeeded;

/// <summary>A key found by a scan, with its expiry so expired disk-only keys can be left out.</summary>
internal readonly record struct ScannedKey(byte[] Key, long ExpireAtMs);

internal sealed record ScanJobDone(int Database, long Epoch, long Token, IReadOnlyList<ScannedKey> Keys, ulong NextCursor, string? Error)
    : INoSerializationVerificationNeeded;

/// <summary>Remove every key of the database from disk (FLUSHDB).</summary>
internal sealed record DeleteDatabaseJob(int Database) : INoSerializationVerificationNeeded;

internal sealed record DeleteDatabaseDone(int Database, string? Error) : INoSerializationVerificationNeeded;

/// <summary>
/// Write a snapshot of the whole store into <see cref="Directory"/> (see <c>IDiskStore.CreateSnapshot</c>). Sent while
/// every keyspace holds its saves, so the snapshot holds exactly the dataset at the barrier.
/// </summary>
internal sealed record SnapshotJob(string Directory) : INoSerializationVerificationNeeded;

/// <summary><see cref="Error"/> is null when the snapshot is complete in <see cref="Directory"/>.</summary>
internal sealed record SnapshotJobDone(string Directory, string? Error) : INoSerializationVerificationNeeded;

/// <summary>
/// A job the DiskIoActor was running when it threw unexpectedly, sent to itself again by the restarted actor with the
/// original sender. <see cref="Attempt"/> counts runs, so a job that throws again is answered with errors, not retried.
/// </summary>
internal sealed record RetriedJob(object Job, int Attempt) : INoSerializationVerificationNeeded;
