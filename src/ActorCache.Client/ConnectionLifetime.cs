namespace ActorCache.Client;

/// <summary>
/// What a remote connection's transport and its <see cref="RemoteClientActor"/> share: whether the actor has stopped,
/// and why. Once it is set, a call fails at once with that reason instead of waiting forever in a mailbox nobody reads.
/// </summary>
internal sealed class ConnectionLifetime
{
    private CacheUnavailableException? _closed;

    /// <summary>Null while the client actor runs.</summary>
    public CacheUnavailableException? Closed => Volatile.Read(ref _closed);

    /// <summary>Set by the actor as it stops (a full fence); the first reason stays.</summary>
    public void Close(CacheUnavailableException reason) => Interlocked.CompareExchange(ref _closed, reason, null);
}
