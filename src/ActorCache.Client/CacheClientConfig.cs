using ActorCache.Protocol;
using Akka.Configuration;

namespace ActorCache.Client;

/// <summary>Ready ActorSystem configurations for programs that use remote <see cref="CacheClient"/>s.</summary>
public static class CacheClientConfig
{
    /// <summary>
    /// HOCON for the client's own ActorSystem: Akka.Remote (classic TCP) bound to <paramref name="host"/> and
    /// <paramref name="port"/> (0 picks a free port; the node sends replies there), the ActorCache wire format
    /// (<see cref="ProtocolSerializer.Configuration"/>), the node's 16 MiB message size limit, a short <c>retry-gate-closed-for</c> (1 s instead of
    /// Akka's 5 s) so a client finds a restarted node soon, and the same socket settings as the node's server.conf:
    /// <c>tcp-nodelay = on</c> and write batching on with <c>max-pending-writes = 30</c> (both Akka's defaults, pinned
    /// because the remote benchmark found nothing better: without batching, throughput with 100 or more requests in
    /// flight drops to 0.4 to 0.85 and the one-request round trip does not get measurably shorter), and one DotNetty
    /// I/O thread per 2 cores (1 to 2; Akka's default is always 2), which on a 2-core machine gave a slightly shorter
    /// one-request round trip (0.81 to 1.00 of the p50) and was no worse with 1000 in flight; with 4 cores or more it
    /// is Akka's default. Layer your own settings over it with <c>WithFallback</c>.
    /// </summary>
    public static Config Remote(string host = "127.0.0.1", int port = 0) =>
        ConfigurationFactory.ParseString($$"""
            akka.actor.provider = remote
            akka.remote {
              dot-netty.tcp {
                hostname = "{{host}}"
                port = {{port}}
                # The node's limit (server.conf): a reply up to 16 MiB must be readable here, and Akka's default of
                # 128000 bytes would drop the connection on the first larger value. The client checks requests
                # against it before sending (RemoteFrameLimit).
                maximum-frame-size = 16 MiB
                send-buffer-size = 16 MiB
                receive-buffer-size = 16 MiB
                # A lone request leaves at once (no Nagle delay).
                tcp-nodelay = on
                # Flushes deferred while the I/O thread reads, forced after 30 (see the XML doc above).
                batching {
                  enabled = true
                  max-pending-writes = 30
                }
                # One DotNetty I/O thread per 2 cores, 1 to 2 (Akka: always 2; see the XML doc above).
                server-socket-worker-pool { pool-size-min = 1, pool-size-factor = 0.5, pool-size-max = 2 }
                client-socket-worker-pool { pool-size-min = 1, pool-size-factor = 0.5, pool-size-max = 2 }
              }
              retry-gate-closed-for = 1 s
            }
            """).WithFallback(ProtocolSerializer.Configuration);
}
