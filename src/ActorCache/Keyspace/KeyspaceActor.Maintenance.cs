using Akka.Actor;

namespace ActorCache.Keyspace;

// Operator actions that change how the keyspace runs rather than what it holds: new settings at run time
// (CONFIG SET) and dropping clean keys from memory (DEBUG FLUSHCACHE).
internal sealed partial class KeyspaceActor
{
    /// <summary>
    /// Everything read from <c>_settings</c> when it is used takes the new value at once. A changed flush delay
    /// applies to saves queued from now on; saves already queued keep the time they were given. The node has set the
    /// memory budget's limit before telling the keyspaces, so the pump below evicts down to a lowered one.
    /// </summary>
    private void HandleChangeSettings(ChangeSettings change)
    {
        var previous = _settings;
        _settings = change.Settings;
        _context.Settings = change.Settings;
        if (previous.ActiveExpireInterval != _settings.ActiveExpireInterval) StartActiveExpiry();
        Pump();
    }

    /// <summary>
    /// A key with IO state (a save queued or in flight, a load under way, requests waiting) is busy: only keys without
    /// any leave memory, so nothing unsaved is lost and no waiting request loses its key. The disk holds every evicted
    /// key, so a later read loads it back.
    /// </summary>
    private void HandleEvictCleanKeys(EvictCleanKeys request)
    {
        var evicted = _db.EvictAllEvictable();
        PublishMemory();
        Sender.Tell(new CleanKeysEvicted(evicted, _db.Count));
    }
}
