namespace ActorCache.Resp;

/// <summary>How the node presents itself to Redis clients.</summary>
internal static class ServerIdentity
{
    /// <summary>
    /// The Redis version whose commands and replies the node follows. Clients read it (HELLO, INFO) to decide which
    /// commands they may send, so it names the Redis the command semantics were checked against.
    /// </summary>
    public const string RedisVersion = "7.0.15";

    /// <summary>ActorCache's own version, shown next to it in INFO.</summary>
    public static string Version { get; } = typeof(ServerIdentity).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
