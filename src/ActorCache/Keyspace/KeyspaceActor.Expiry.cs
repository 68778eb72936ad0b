namespace ActorCache.Keyspace;

// Active expiry, as Redis does it: sample keys that have a TTL, delete the expired ones, and go again while more
// than a quarter of a sample had expired. Keys only on disk expire when they are loaded.
internal sealed partial class KeyspaceActor
{
    private const int MaxExpireRoundsPerTick = 16;

    private void HandleActiveExpireTick(ActiveExpireTick tick)
    {
        for (var round = 0; round < MaxExpireRoundsPerTick && _db.VolatileCount > 0; round++)
        {
            var samples = Math.Min(_settings.ActiveExpireSamples, _db.VolatileCount);
            var expired = 0;
            for (var i = 0; i < samples && _db.VolatileCount > 0; i++)
            {
                // Get deletes an expired key as a write, queueing its delete for the disk.
                var key = _db.SampleVolatileKey(Random.Shared);
                if (_db.Get(key) is null) expired++;
            }

            if (expired * 4 <= samples) break;
        }

        Pump();
    }
}
