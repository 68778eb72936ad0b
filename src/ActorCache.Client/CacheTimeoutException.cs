namespace ActorCache.Client;

/// <summary>
/// An embedded request got no reply within <see cref="CacheClientOptions.RequestTimeout"/>: the node is stopping or
/// stopped, or the command waits longer than that (a key whose disk load is slow, a write waiting for memory). Whether a
/// write was applied is unknown. (A remote node that does not answer gives <see cref="CacheUnavailableException"/>.)
/// </summary>
public sealed class CacheTimeoutException : TimeoutException
{
    /// <summary>Creates the exception for <paramref name="command"/> sent to <paramref name="database"/>.</summary>
    public CacheTimeoutException(string command, int database, TimeSpan timeout)
        : base($"ActorCache request {command} (database {database}) got no reply within {timeout}")
    {
        Command = command;
        Database = database;
        Timeout = timeout;
    }

    /// <summary>The command that timed out, e.g. <c>GET</c>, or <c>EXEC</c> for a transaction.</summary>
    public string Command { get; }

    /// <summary>The database it was sent to.</summary>
    public int Database { get; }

    /// <summary>How long it waited.</summary>
    public TimeSpan Timeout { get; }
}
