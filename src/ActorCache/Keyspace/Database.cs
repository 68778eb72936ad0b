namespace ActorCache.Keyspace;

/// <summary>One key's in-memory value and its absolute expiry in unix milliseconds (0 = none).</summary>
internal sealed class Entry(CacheValue value, long expireAtMs)
{
    public CacheValue Value { get; set; } = value;

    public long ExpireAtMs { get; set; } = expireAtMs;

    /// <summary>As in Redis, a key is still there at its expiry millisecond and gone after it.</summary>
    public bool IsExpiredAt(long nowMs) => IsExpired(ExpireAtMs, nowMs);

    public static bool IsExpired(long expireAtMs, long nowMs) => expireAtMs != 0 && expireAtMs < nowMs;
}

/// <summary>
/// The in-memory part of one database as commands see it: values, expiries and the negative cache. It knows nothing
/// of IO; every write is reported through <c>keyWritten</c> so the owning <see cref="KeyspaceActor"/> can queue the
/// save. Owned by exactly one keyspace actor and never shared.
/// </summary>
internal sealed class Database(NegativeCache negativeCache, TimeProvider clock, Action<CacheKey> keyWritten)
{
    private readonly Dictionary<CacheKey, Entry> _entries = new();
    private readonly RandomAccessSet<CacheKey> _volatileKeys = new();

    public NegativeCache NegativeCache { get; } = negativeCache;

    /// <summary>Keys in memory, expired or not.</summary>
    public int Count => _entries.Count;

    public int VolatileCount => _volatileKeys.Count;

    public long NowMs => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public IEnumerable<KeyValuePair<CacheKey, Entry>> Entries => _entries;

    public bool Contains(CacheKey key) => _entries.ContainsKey(key);

    /// <summary>The entry of <paramref name="key"/> if it is in memory and live; an expired one is deleted (a write).</summary>
    public Entry? Get(CacheKey key)
    {
        if (!_entries.TryGetValue(key, out var entry)) return null;
        // Most keys have no expiry: they need no clock read.
        if (entry.ExpireAtMs == 0 || !entry.IsExpiredAt(NowMs)) return entry;
        Delete(key);
        return null;
    }

    /// <summary>The entry if in memory, without expiring it (for the keyspace's own bookkeeping).</summary>
    public Entry? Peek(CacheKey key) => _entries.GetValueOrDefault(key);

    /// <summary>Stores <paramref name="value"/> with absolute expiry <paramref name="expireAtMs"/> (0 = none): a write.</summary>
    public void Set(CacheKey key, CacheValue value, long expireAtMs)
    {
        Store(key, value, expireAtMs);
        keyWritten(key);
    }

    /// <summary>Replaces the value of a key, keeping its expiry: a write.</summary>
    public void Replace(CacheKey key, CacheValue value)
    {
        var expireAt = _entries.TryGetValue(key, out var entry) ? entry.ExpireAtMs : 0;
        Set(key, value, expireAt);
    }

    /// <summary>Changes the expiry of a key in memory: a write. Returns false if the key is not in memory.</summary>
    public bool SetExpiry(CacheKey key, long expireAtMs)
    {
        if (!_entries.TryGetValue(key, out var entry)) return false;
        entry.ExpireAtMs = expireAtMs;
        TrackExpiry(key, expireAtMs);
        keyWritten(key);
        return true;
    }

    /// <summary>
    /// Removes a key: a write. The key is pinned in the negative cache until its delete reaches the disk, so a later
    /// read cannot load the old value back.
    /// </summary>
    public bool Delete(CacheKey key)
    {
        if (!_entries.Remove(key)) return false;
        _volatileKeys.Remove(key);
        NegativeCache.Pin(key);
        keyWritten(key);
        return true;
    }

    /// <summary>
    /// Drops a clean key from memory: not a write, since the disk holds the same value; a later read loads it back.
    /// </summary>
    public void Evict(CacheKey key)
    {
        _entries.Remove(key);
        _volatileKeys.Remove(key);
    }

    /// <summary>Inserts a value read from disk: not a write, nothing to save.</summary>
    public void InsertLoaded(CacheKey key, CacheValue value, long expireAtMs)
    {
        Store(key, value, expireAtMs);
    }

    /// <summary>Empties memory and the negative cache (FLUSHDB); the disk side is the keyspace's job.</summary>
    public void Clear()
    {
        _entries.Clear();
        _volatileKeys.Clear();
        NegativeCache.Clear();
    }

    /// <summary>A random key that has an expiry, for active expiry sampling; requires <see cref="VolatileCount"/> &gt; 0.</summary>
    public CacheKey SampleVolatileKey(Random random) => _volatileKeys.Sample(random);

    private void Store(CacheKey key, CacheValue value, long expireAtMs)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            entry.Value = value;
            entry.ExpireAtMs = expireAtMs;
        }
        else
        {
            _entries[key] = new Entry(value, expireAtMs);
            NegativeCache.Remove(key);
        }

        TrackExpiry(key, expireAtMs);
    }

    private void TrackExpiry(CacheKey key, long expireAtMs)
    {
        if (expireAtMs == 0) _volatileKeys.Remove(key);
        else _volatileKeys.Add(key);
    }
}
