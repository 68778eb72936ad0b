namespace ActorCache.Client;

/// <summary>The node answered with an error reply (the message is Redis's, e.g. "WRONGTYPE ...").</summary>
public sealed class CacheException(string message) : Exception(message);
