namespace ActorCache.Keyspace;

/// <summary>
/// One key's in-memory value, its absolute expiry in unix milliseconds (0 = none), when it was last used (for LRU
/// eviction) and its place in the database's list of evictable entries (for O(1) random sampling). Only
/// <see cref="Database"/> changes it, so that its memory estimate follows every change.
/// </summary>
internal sealed class Entry(CacheKey key, CacheValue value, long expireAtMs)
{
    public CacheKey Key { get; } = key;

    public CacheValue Value { get; set; } = value;

    public long ExpireAtMs { get; set; } = expireAtMs;

    /// <summary>The database's access counter when a command last read or wrote the key: larger = more recent.</summary>
    public long LastAccess { get; set; }

    /// <summary>Index in the database's list of evictable entries, or -1 while the key is busy; kept by <see cref="Database"/> only.</summary>
    public int Slot { get; set; } = -1;

    /// <summary>As in Redis, a key is still there at its expiry millisecond and gone after it.</summary>
    public bool IsExpiredAt(long nowMs) => IsExpired(ExpireAtMs, nowMs);

    public static bool IsExpired(long expireAtMs, long nowMs) => expireAtMs != 0 && expireAtMs < nowMs;
}

/// <summary>
/// The in-memory part of one database as commands see it: values, expiries and the negative cache. It knows nothing
/// of IO; every write is reported through <c>keyWritten</c> so the owning <see cref="KeyspaceActor"/> can queue the
/// save. Owned by exactly one keyspace actor and never shared.
/// </summary>
/// <remarks>
/// Every change of what memory holds goes through <see cref="Store"/> or <see cref="Drop"/>, which keep
/// <see cref="UsedBytes"/>, the estimate <c>cache-max-memory</c> is checked against, exact: the one place that knows
/// what an entry costs.
/// </remarks>
internal sealed class Database(NegativeCache negativeCache, TimeProvider clock, Action<CacheKey> keyWritten)
{
    /// <summary>
    /// What an entry costs besides its key's bytes and its value, on a 64-bit runtime: the <see cref="Entry"/> object,
    /// its share of the tables that hold it, and the key array's header (object header, method table and length: 24).
    /// </summary>
    public const long EntryOverhead = EntryObjectBytes + TableBytesPerEntry + 24;

    /// <summary>
    /// The <see cref="Entry"/> object: 16 bytes of header and method table, then Value 8, ExpireAtMs 8, LastAccess 8,
    /// the CacheKey struct 16 and Slot 4, padded to 8.
    /// </summary>
    public const long EntryObjectBytes = 64;

    /// <summary>
    /// An entry's slots in the dictionary (hash and next 8, key 16, value 8 = 32, plus a 4-byte bucket) and in the list
    /// of evictable entries (8; counted for every entry, since every entry may become evictable), times 4/3: both grow
    /// by doubling, so on average they are three quarters full.
    /// </summary>
    public const long TableBytesPerEntry = (32 + 4 + 8) * 4 / 3;

    /// <summary>
    /// What a key with an expiry costs on top, in the set of volatile keys: a dictionary slot (hash and next 8, key 16,
    /// position 4 padded to 8 = 32, plus a 4-byte bucket) and a list slot (16), times 4/3 for the growth slack.
    /// </summary>
    public const long VolatileOverhead = (32 + 4 + 16) * 4 / 3;

    private readonly Dictionary<CacheKey, Entry> _entries = new();
    // The entries that may leave memory (the keyspace says which: those without IO state), in a list for sampling a
    // uniformly random one in O(1). Eviction samples only these, so it finds a victim at once however many keys are
    // dirty. Each entry knows its slot.
    private readonly List<Entry> _evictable = new();
    private readonly RandomAccessSet<CacheKey> _volatileKeys = new();
    private long _accessClock;

    public NegativeCache NegativeCache { get; } = negativeCache;

    /// <summary>Keys in memory, expired or not.</summary>
    public int Count => _entries.Count;

    public int VolatileCount => _volatileKeys.Count;

    /// <summary>Keys in memory that the keyspace has marked evictable (see <see cref="SetEvictable"/>).</summary>
    public int EvictableCount => _evictable.Count;

    /// <summary>The estimated bytes of every key, value and entry overhead in memory (see <see cref="EntryOverhead"/>).</summary>
    public long UsedBytes { get; private set; }

    public long NowMs => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public IEnumerable<KeyValuePair<CacheKey, Entry>> Entries => _entries;

    public bool Contains(CacheKey key) => _entries.ContainsKey(key);

    /// <summary>The estimated bytes of <paramref name="key"/> with <paramref name="value"/> in memory, overhead included.</summary>
    public static long SizeOf(CacheKey key, CacheValue value) => EntryOverhead + ArrayData(key.Bytes.Length) + value.EstimatedBytes;

    /// <summary>The data part of an array of <paramref name="length"/> bytes: objects are allocated in 8-byte steps.</summary>
    public static long ArrayData(long length) => (length + 7) & ~7L;

    /// <summary>The entry of <paramref name="key"/> if it is in memory and live; an expired one is deleted (a write).</summary>
    public Entry? Get(CacheKey key)
    {
        if (!_entries.TryGetValue(key, out var entry)) return null;
        // Most keys have no expiry: they need no clock read.
        if (entry.ExpireAtMs != 0 && entry.IsExpiredAt(NowMs))
        {
            Delete(key);
            return null;
        }

        entry.LastAccess = ++_accessClock;
        return entry;
    }

    /// <summary>The entry if in memory, without expiring it or counting a use (for the keyspace's own bookkeeping).</summary>
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
        entry.LastAccess = ++_accessClock;
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
        if (!Drop(key)) return false;
        NegativeCache.Pin(key);
        keyWritten(key);
        return true;
    }

    /// <summary>
    /// Drops a clean key from memory: not a write, since the disk holds the same value; a later read loads it back.
    /// </summary>
    public void Evict(CacheKey key) => Drop(key);

    /// <summary>Inserts a value read from disk: not a write, nothing to save.</summary>
    public void InsertLoaded(CacheKey key, CacheValue value, long expireAtMs)
    {
        Store(key, value, expireAtMs);
    }

    /// <summary>Empties memory and the negative cache (FLUSHDB); the disk side is the keyspace's job.</summary>
    public void Clear()
    {
        _entries.Clear();
        _evictable.Clear();
        _volatileKeys.Clear();
        NegativeCache.Clear();
        UsedBytes = 0;
    }

    /// <summary>A random key that has an expiry, for active expiry sampling; requires <see cref="VolatileCount"/> &gt; 0.</summary>
    public CacheKey SampleVolatileKey(Random random) => _volatileKeys.Sample(random);

    /// <summary>Drops every evictable entry (the keyspace's clean, idle keys) and returns how many left memory.</summary>
    public int EvictAllEvictable()
    {
        var count = _evictable.Count;
        // From the end, so no entry is moved into a hole before it goes itself.
        while (_evictable.Count > 0) Drop(_evictable[^1].Key);
        return count;
    }

    /// <summary>A uniformly random evictable entry, for eviction sampling; requires <see cref="EvictableCount"/> &gt; 0.</summary>
    public Entry SampleEvictable(Random random) => _evictable[random.Next(_evictable.Count)];

    /// <summary>
    /// Marks whether <paramref name="key"/> may leave memory. A new entry is not evictable: it was just written or
    /// loaded, and the keyspace marks it once its IO is done. Does nothing for a key not in memory.
    /// </summary>
    public void SetEvictable(CacheKey key, bool evictable)
    {
        if (!_entries.TryGetValue(key, out var entry) || (entry.Slot >= 0) == evictable) return;
        if (evictable)
        {
            entry.Slot = _evictable.Count;
            _evictable.Add(entry);
        }
        else
        {
            RemoveFromEvictable(entry);
        }
    }

    private void Store(CacheKey key, CacheValue value, long expireAtMs)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            UsedBytes += value.EstimatedBytes - entry.Value.EstimatedBytes;
            entry.Value = value;
            entry.ExpireAtMs = expireAtMs;
        }
        else
        {
            entry = new Entry(key, value, expireAtMs);
            _entries[key] = entry;
            UsedBytes += SizeOf(key, value);
            NegativeCache.Remove(key);
        }

        entry.LastAccess = ++_accessClock;
        TrackExpiry(key, expireAtMs);
    }

    private bool Drop(CacheKey key)
    {
        if (!_entries.Remove(key, out var entry)) return false;
        if (entry.Slot >= 0) RemoveFromEvictable(entry);
        UsedBytes -= SizeOf(key, entry.Value);
        if (_volatileKeys.Remove(key)) UsedBytes -= VolatileOverhead;
        return true;
    }

    private void RemoveFromEvictable(Entry entry)
    {
        // The last entry moves into the hole, so the list stays dense and sampling stays uniform.
        var last = _evictable[^1];
        _evictable[entry.Slot] = last;
        last.Slot = entry.Slot;
        _evictable.RemoveAt(_evictable.Count - 1);
        entry.Slot = -1;
    }

    private void TrackExpiry(CacheKey key, long expireAtMs)
    {
        if (expireAtMs == 0)
        {
            if (_volatileKeys.Remove(key)) UsedBytes -= VolatileOverhead;
        }
        else if (_volatileKeys.Add(key))
        {
            UsedBytes += VolatileOverhead;
        }
    }
}
