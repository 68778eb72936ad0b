using ActorCache.Keyspace;
using ActorCache.Protocol;
using ActorCache.Settings;
using Akka.Actor;

namespace ActorCache.Node;

// What operators do to a running node through a front end (INFO, CONFIG SET, DEBUG FLUSHCACHE): one place, so every
// front end asks the keyspaces the same way. These are rare calls, so plain Ask is fine here.
public sealed partial class ActorCacheNode
{
    private static readonly TimeSpan AdministrationTimeout = TimeSpan.FromSeconds(10);
    private IReadOnlyList<IActorRef>? _keyspaces;
    private readonly SemaphoreSlim _settingsChange = new(1, 1);

    /// <summary>The keyspace actor of each database, index = database number.</summary>
    internal async Task<IReadOnlyList<IActorRef>> KeyspacesAsync() =>
        _keyspaces ??= (await Entry.Ask<KeyspaceDirectory>(GetKeyspaces.Instance, AdministrationTimeout)).Keyspaces;

    /// <summary>Each database's figures, index = database number.</summary>
    internal async Task<KeyspaceStats[]> StatsAsync()
    {
        var keyspaces = await KeyspacesAsync();
        return await Task.WhenAll(keyspaces.Select(keyspace => keyspace.Ask<KeyspaceStats>(GetKeyspaceStats.Instance, AdministrationTimeout)));
    }

    /// <summary>
    /// Runs the node with <paramref name="change"/> applied to its settings from now on; each keyspace applies what
    /// can change at run time. Changes are serialized, so two CONFIG SETs never lose one another.
    /// </summary>
    internal async Task<CacheSettings> ChangeSettingsAsync(Func<CacheSettings, CacheSettings> change)
    {
        await _settingsChange.WaitAsync();
        try
        {
            var changed = change(Settings);
            Volatile.Write(ref _settings, changed);
            // The limit is node-wide, so it changes once, here; each keyspace evicts down to it on ChangeSettings.
            Memory.SetLimit(changed.CacheMaxMemory);
            foreach (var keyspace in await KeyspacesAsync()) keyspace.Tell(new ChangeSettings(changed));
            return changed;
        }
        finally
        {
            _settingsChange.Release();
        }
    }

    /// <summary>
    /// DEBUG FLUSHCACHE: everything written before the call goes to disk, then every clean key leaves memory (a later
    /// read loads it back). Keys written meanwhile are dirty and stay. Returns the number of keys dropped.
    /// </summary>
    internal async Task<long> FlushCacheAsync()
    {
        await FlushAsync(Settings.ShutdownFlushTimeout);
        var keyspaces = await KeyspacesAsync();
        var evicted = await Task.WhenAll(keyspaces.Select(keyspace => keyspace.Ask<CleanKeysEvicted>(EvictCleanKeys.Instance, AdministrationTimeout)));
        return evicted.Sum(e => (long)e.Evicted);
    }

    /// <summary>
    /// SAVE: a point-in-time snapshot of every database under <c>&lt;data-dir&gt;/snapshots/</c> (a RocksDB checkpoint,
    /// or a copy of the file store). The node keeps serving while it runs; the task ends when it is on disk or failed.
    /// </summary>
    internal Task<SnapshotCompleted> SaveSnapshotAsync() =>
        Entry.Ask<SnapshotCompleted>(TakeSnapshot.Instance, Settings.ShutdownFlushTimeout + AdministrationTimeout);

    /// <summary>LASTSAVE and INFO persistence: the last successful snapshot's time, and whether one runs now.</summary>
    internal Task<SnapshotStatus> SnapshotStatusAsync() => Entry.Ask<SnapshotStatus>(GetSnapshotStatus.Instance, AdministrationTimeout);
}
