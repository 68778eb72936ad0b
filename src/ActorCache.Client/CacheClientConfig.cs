using ActorCache.Protocol;
using Akka.Configuration;

namespace ActorCache.Client;

/// <summary>Ready ActorSystem configurations for programs that use remote <see cref="CacheClient"/>s.</summary>
public static class CacheClientConfig
{
    /// <summary>
    /// HOCON for the client's own ActorSystem: Akka.Remote (classic TCP) bound to <paramref name="host"/> and
    /// <paramref name="port"/> (0 picks a free port; the node sends replies there), the ActorCache wire format
    /// (<see cref="ProtocolSerializer.Configuration"/>) and a short <c>retry-gate-closed-for</c> (1 s instead of
    /// Akka's 5 s) so a client finds a restarted node soon. Layer your own settings over it with
    /// <c>WithFallback</c>.
    /// </summary>
    public static Config Remote(string host = "127.0.0.1", int port = 0) =>
        ConfigurationFactory.ParseString($$"""
            akka.actor.provider = remote
            akka.remote {
              dot-netty.tcp {
                hostname = "{{host}}"
                port = {{port}}
              }
              retry-gate-closed-for = 1 s
            }
            """).WithFallback(ProtocolSerializer.Configuration);
}
