namespace ActorCache.Benchmarks.Remote;

/// <summary>
/// A remote settings profile of "remote": HOCON laid over the configuration of all three ActorSystems (the node gets
/// it as its --config file, so it overrides server.conf; the echo process and the client lay it over server.conf and
/// <c>CacheClientConfig.Remote()</c>). "shipped" lays nothing: it is what the repository ships.
/// </summary>
public sealed record RemoteProfile(string Name, string Description, string Hocon);

public static class RemoteProfiles
{
    /// <summary>Akka.NET 1.5.74's own defaults for every key the shipped configuration or another profile sets.</summary>
    private const string AkkaDefaults = """
        akka.actor.default-dispatcher { executor = default-executor, throughput = 30 }
        akka.actor.internal-dispatcher.executor = default-executor
        akka.remote.dot-netty.tcp {
          tcp-nodelay = on
          batching { enabled = true, max-pending-writes = 30 }
          server-socket-worker-pool { pool-size-min = 2, pool-size-factor = 1.0, pool-size-max = 2 }
          client-socket-worker-pool { pool-size-min = 2, pool-size-factor = 1.0, pool-size-max = 2 }
        }
        akka.remote.default-remote-dispatcher {
          executor = default-executor
          throughput = 30
        }
        """;

    private static RemoteProfile OverDefaults(string name, string description, string hocon) =>
        new(name, description, AkkaDefaults + "\n" + hocon);

    public static readonly IReadOnlyList<RemoteProfile> All =
    [
        new("akka", "Akka.NET 1.5.74's defaults for every key a profile sets (the settings before tuning)", AkkaDefaults),
        new("shipped", "as shipped: src/ActorCache.Server/server.conf and CacheClientConfig.Remote(), nothing laid over", ""),
        OverDefaults("nobatch", "batching.enabled = false: every write flushed at once", """
            akka.remote.dot-netty.tcp.batching.enabled = false
            """),
        OverDefaults("writes256", "batching.max-pending-writes = 256: up to 256 writes per flush", """
            akka.remote.dot-netty.tcp.batching.max-pending-writes = 256
            """),
        OverDefaults("io1", "one DotNetty I/O thread per socket pool (server and client), not 2", """
            akka.remote.dot-netty.tcp.server-socket-worker-pool { pool-size-min = 1, pool-size-max = 1 }
            akka.remote.dot-netty.tcp.client-socket-worker-pool { pool-size-min = 1, pool-size-max = 1 }
            """),
        OverDefaults("tput100", "throughput = 100 on the default and the remote dispatcher (longer mailbox batches)", """
            akka.actor.default-dispatcher.throughput = 100
            akka.remote.default-remote-dispatcher.throughput = 100
            """),
        OverDefaults("writes256+tput100", "writes256 and tput100 together", """
            akka.remote.dot-netty.tcp.batching.max-pending-writes = 256
            akka.actor.default-dispatcher.throughput = 100
            akka.remote.default-remote-dispatcher.throughput = 100
            """),
        OverDefaults("channel", "Akka's channel-executor (its own work queue over the .NET pool) for the default, internal and remote dispatchers", """
            akka.actor.default-dispatcher { executor = channel-executor, channel-executor.priority = normal }
            akka.actor.internal-dispatcher { executor = channel-executor, channel-executor.priority = high }
            akka.remote.default-remote-dispatcher { executor = channel-executor, channel-executor.priority = high }
            """),
        OverDefaults("remote-dedicated", "the remoting actors on 1 dedicated thread (fork-join-executor) instead of the .NET pool", """
            akka.remote.default-remote-dispatcher {
              executor = fork-join-executor
              fork-join-executor { parallelism-min = 1, parallelism-factor = 1.0, parallelism-max = 1 }
            }
            """),
    ];

    public static RemoteProfile Find(string name) =>
        All.FirstOrDefault(p => p.Name == name)
        ?? throw new ArgumentException($"unknown profile \"{name}\"; known: {string.Join(", ", All.Select(p => p.Name))}");
}
