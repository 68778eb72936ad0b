namespace ActorCache.Resp;

/// <summary>Counters of the RESP server for INFO, updated by every connection without locks.</summary>
internal sealed class RespStatistics
{
    private long _connectionsReceived;
    private long _connectionsRejected;
    private long _commandsProcessed;

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public long ConnectionsReceived => Volatile.Read(ref _connectionsReceived);

    public long ConnectionsRejected => Volatile.Read(ref _connectionsRejected);

    public long CommandsProcessed => Volatile.Read(ref _commandsProcessed);

    public void ConnectionReceived() => Interlocked.Increment(ref _connectionsReceived);

    public void ConnectionRejected() => Interlocked.Increment(ref _connectionsRejected);

    public void CommandsRead(int count) => Interlocked.Add(ref _commandsProcessed, count);

    public void Reset()
    {
        Interlocked.Exchange(ref _connectionsReceived, 0);
        Interlocked.Exchange(ref _connectionsRejected, 0);
        Interlocked.Exchange(ref _commandsProcessed, 0);
    }
}
