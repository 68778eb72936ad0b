using System.Runtime.InteropServices;
using ActorCache.Node;
using ActorCache.Settings;
using Akka.Actor;
using Akka.Configuration;

// Runs one ActorCache node until Ctrl+C or SIGTERM; both run CoordinatedShutdown, which flushes every dirty key to
// disk before the process exits with 0.
var configFile = args.Length == 2 && args[0] == "--config" ? args[1] : null;
if (args.Length > 0 && configFile is null)
{
    Console.Error.WriteLine("usage: ActorCache.Server [--config FILE]");
    return 2;
}

Config config;
CacheSettings settings;
try
{
    config = configFile is null ? Config.Empty : ConfigurationFactory.ParseString(File.ReadAllText(configFile));
    config = config.WithFallback(CacheSettings.DefaultConfig);
    settings = CacheSettings.Create(config);
}
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ConfigurationException or FormatException)
{
    Console.Error.WriteLine($"actor-cache: cannot use configuration {configFile}: {ex.Message}");
    return 2;
}

using var system = ActorSystem.Create("actor-cache", config);

// Registered before the node starts, so a signal that arrives during start-up still shuts down gracefully.
void Shutdown(PosixSignalContext context)
{
    context.Cancel = true;
    Console.WriteLine("Stopping: flushing dirty keys to disk...");
    _ = CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
}

using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Shutdown);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Shutdown);

ActorCacheNode node;
try
{
    node = ActorCacheNode.Start(system, new CacheNodeOptions { Settings = settings });
}
catch (Exception ex)
{
    Console.Error.WriteLine($"actor-cache: cannot open the {settings.Backend} store in {Path.GetFullPath(settings.DataDirectory)}: {ex.Message}");
    await system.Terminate();
    return 2;
}

Console.WriteLine($"ActorCache node started: {settings.Databases} databases, backend {settings.Backend} in {Path.GetFullPath(settings.DataDirectory)}, entry actor {node.Entry.Path}");
Console.WriteLine("Press Ctrl+C (or send SIGTERM) to flush every dirty key to disk and stop.");
await system.WhenTerminated;
Console.WriteLine("ActorCache node stopped.");
return 0;
