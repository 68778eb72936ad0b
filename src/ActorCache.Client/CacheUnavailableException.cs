namespace ActorCache.Client;

/// <summary>
/// The node could not be reached: it did not answer within <see cref="CacheClientOptions.RequestTimeout"/> (down,
/// restarting, unreachable), or the client was stopped, or the client's own ActorSystem was shut down. Whether a write
/// sent before this was applied is unknown.
/// </summary>
public sealed class CacheUnavailableException : Exception
{
    /// <summary>Creates the exception for the node at <paramref name="nodeAddress"/>.</summary>
    public CacheUnavailableException(string nodeAddress, string message)
        : base($"ActorCache node {nodeAddress} is unavailable: {message}")
    {
        NodeAddress = nodeAddress;
    }

    /// <summary>The address of the node, e.g. <c>akka.tcp://actor-cache@127.0.0.1:4055</c>.</summary>
    public string NodeAddress { get; }
}
