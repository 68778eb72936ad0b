using ActorCache.Settings;
using Akka.Actor;
using Akka.Configuration;

namespace ActorCache.Benchmarks.Harness;

/// <summary>ActorSystems and node settings for benchmarks: quiet logging, the node's defaults as fallback.</summary>
public static class BenchSystem
{
    private const string Quiet = """
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
        }
        """;

    /// <summary>HOCON that sets the node's data folder (escaped for HOCON) plus <paramref name="extra"/>.</summary>
    public static Config NodeConfig(string dataDirectory, string extra = "")
    {
        var escaped = dataDirectory.Replace("\\", "\\\\").Replace("\"", "\\\"");
        return ConfigurationFactory.ParseString($"actor-cache {{ data-dir = \"{escaped}\"\n{extra}\n}}\n" + Quiet)
            .WithFallback(CacheSettings.DefaultConfig);
    }

    public static ActorSystem Create(string name, Config config) => ActorSystem.Create(name, config);

    public static async Task ShutdownAsync(ActorSystem system)
    {
        // CoordinatedShutdown runs the node's flush before the store closes.
        await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
        await system.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public static string TempFolder(string prefix) => Directory.CreateTempSubdirectory(prefix).FullName;

    public static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
