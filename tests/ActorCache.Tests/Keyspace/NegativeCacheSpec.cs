using System.Text;
using ActorCache.Keyspace;
using Xunit;

namespace ActorCache.Tests.Keyspace;

/// <summary>The negative cache has its own bound: the oldest unpinned entries go first, pinned ones never.</summary>
public sealed class NegativeCacheSpec
{
    private static CacheKey Key(string name) => new(Encoding.UTF8.GetBytes(name));

    [Fact]
    public void Over_its_bound_the_oldest_unpinned_entry_is_dropped()
    {
        var cache = new NegativeCache(3);

        foreach (var name in new[] { "a", "b", "c", "d" }) cache.Add(Key(name));

        Assert.False(cache.Contains(Key("a")));
        Assert.True(cache.Contains(Key("b")) && cache.Contains(Key("c")) && cache.Contains(Key("d")));
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public void Pinned_entries_are_never_dropped_and_do_not_count_against_the_bound()
    {
        var cache = new NegativeCache(2);
        cache.Pin(Key("deleted"));

        foreach (var name in new[] { "a", "b", "c", "d" }) cache.Add(Key(name));

        Assert.True(cache.Contains(Key("deleted")));
        Assert.Equal(1, cache.PinnedCount);
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public void An_unpinned_entry_becomes_the_newest_and_goes_in_its_turn()
    {
        var cache = new NegativeCache(2);
        cache.Pin(Key("deleted"));
        cache.Add(Key("a"));

        cache.Unpin(Key("deleted"));
        cache.Add(Key("b"));

        Assert.False(cache.Contains(Key("a")));
        Assert.True(cache.Contains(Key("deleted")));
        cache.Add(Key("c"));
        Assert.False(cache.Contains(Key("deleted")));
    }
}
