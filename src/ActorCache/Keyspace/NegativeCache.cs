namespace ActorCache.Keyspace;

/// <summary>
/// Keys known to be absent from the disk, so that repeated misses cost no IO. An entry made by a DEL is
/// <em>pinned</em> until that delete has reached the disk: dropping it earlier would let a GET load the old value back.
/// Unpinned entries are bounded; the oldest is dropped first.
/// </summary>
internal sealed class NegativeCache(int maxUnpinnedEntries)
{
    // A pinned entry maps to null; an unpinned one to its node in the age order.
    private readonly Dictionary<CacheKey, LinkedListNode<CacheKey>?> _entries = new();
    private readonly LinkedList<CacheKey> _unpinnedByAge = new();

    public int Count => _entries.Count;

    public int PinnedCount => _entries.Count - _unpinnedByAge.Count;

    public bool Contains(CacheKey key) => _entries.ContainsKey(key);

    /// <summary>Remembers that <paramref name="key"/> is absent on disk (a load found nothing).</summary>
    public void Add(CacheKey key)
    {
        if (maxUnpinnedEntries == 0 || _entries.ContainsKey(key)) return;
        _entries[key] = _unpinnedByAge.AddLast(key);
        if (_unpinnedByAge.Count > maxUnpinnedEntries)
        {
            var oldest = _unpinnedByAge.First!;
            _unpinnedByAge.RemoveFirst();
            _entries.Remove(oldest.Value);
        }
    }

    /// <summary>Marks <paramref name="key"/> absent until <see cref="Unpin"/>: its delete has not reached the disk yet.</summary>
    public void Pin(CacheKey key)
    {
        if (_entries.TryGetValue(key, out var node) && node is not null) _unpinnedByAge.Remove(node);
        _entries[key] = null;
    }

    /// <summary>The delete of <paramref name="key"/> reached the disk: its entry may now be dropped like any other.</summary>
    public void Unpin(CacheKey key)
    {
        if (!_entries.TryGetValue(key, out var node) || node is not null) return;
        _entries.Remove(key);
        Add(key);
    }

    public void Remove(CacheKey key)
    {
        if (_entries.Remove(key, out var node) && node is not null) _unpinnedByAge.Remove(node);
    }

    public void Clear()
    {
        _entries.Clear();
        _unpinnedByAge.Clear();
    }
}
