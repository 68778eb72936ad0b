using Akka.Actor;

namespace ActorCache.Protocol;

/// <summary>
/// Runs one command against database <see cref="Database"/>. <see cref="Arguments"/> are the command name followed
/// by its arguments, exactly as a Redis client sends them. The node answers the sender with a <see cref="CacheReply"/>
/// carrying the same <see cref="CorrelationId"/>, so a client can keep many requests in flight without one temporary
/// actor per request.
/// </summary>
public sealed record CacheRequest(long CorrelationId, int Database, byte[][] Arguments)
{
    /// <summary>Compares the arguments' contents, not the arrays' identity.</summary>
    public bool Equals(CacheRequest? other) =>
        other is not null && CorrelationId == other.CorrelationId && Database == other.Database
        && Arguments.Length == other.Arguments.Length
        && Arguments.Zip(other.Arguments).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(CorrelationId, Database, Arguments.Length);
}

/// <summary>The answer to the <see cref="CacheRequest"/> with the same <see cref="CorrelationId"/>.</summary>
public sealed record CacheReply(long CorrelationId, RedisReply Reply);

/// <summary>Asks the node for the actors that own each database, so clients can address them directly.</summary>
public sealed class GetKeyspaces
{
    /// <summary>The single instance.</summary>
    public static readonly GetKeyspaces Instance = new();

    private GetKeyspaces()
    {
    }
}

/// <summary>The reply to <see cref="GetKeyspaces"/>: the keyspace actor of database i at index i.</summary>
public sealed record KeyspaceDirectory(IReadOnlyList<IActorRef> Keyspaces);

/// <summary>
/// A barrier: the node answers <see cref="FlushedToDisk"/> once everything written before it is on disk
/// (every queued save dispatched at once and completed).
/// </summary>
public sealed class FlushToDisk
{
    /// <summary>The single instance.</summary>
    public static readonly FlushToDisk Instance = new();

    private FlushToDisk()
    {
    }
}

/// <summary>The answer to <see cref="FlushToDisk"/>.</summary>
public sealed class FlushedToDisk
{
    /// <summary>The single instance.</summary>
    public static readonly FlushedToDisk Instance = new();

    private FlushedToDisk()
    {
    }
}
