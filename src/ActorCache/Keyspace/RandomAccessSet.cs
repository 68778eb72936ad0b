namespace ActorCache.Keyspace;

/// <summary>
/// A set that can also hand out a uniformly random member in O(1), which active expiry (and later eviction) need
/// for Redis-style sampling. Removal swaps the last element into the hole.
/// </summary>
internal sealed class RandomAccessSet<T> where T : notnull
{
    private readonly Dictionary<T, int> _index = new();
    private readonly List<T> _items = new();

    public int Count => _items.Count;

    public bool Add(T item)
    {
        if (!_index.TryAdd(item, _items.Count)) return false;
        _items.Add(item);
        return true;
    }

    public bool Remove(T item)
    {
        if (!_index.Remove(item, out var position)) return false;
        var lastPosition = _items.Count - 1;
        if (position != lastPosition)
        {
            var last = _items[lastPosition];
            _items[position] = last;
            _index[last] = position;
        }

        _items.RemoveAt(lastPosition);
        return true;
    }

    public T Sample(Random random) => _items[random.Next(_items.Count)];

    public void Clear()
    {
        _index.Clear();
        _items.Clear();
    }
}
