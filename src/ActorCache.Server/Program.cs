using ActorCache.Node;
using ActorCache.Resp;
using ActorCache.Server;
using ActorCache.Storage;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

// Runs one ActorCache node on the .NET Generic Host until Ctrl+C or SIGTERM; both stop the host, which runs Akka's
// CoordinatedShutdown, which flushes every dirty key to disk before the process exits with 0.
// Exit code 2: bad options, an unusable configuration, a data folder held by another node, a snapshot that cannot be
// restored (--restore), or a node that cannot start.
const int Failed = 2;

var launch = ServerCommandLine.Parse(args);
if (launch.InfoRequest is not null)
{
    return launch.InfoRequest.Invoke();
}

if (launch.Error is not null)
{
    Console.Error.WriteLine($"actor-cache: {launch.Error}");
    return Failed;
}

var config = launch.Config!;
var settings = launch.Settings!;

using var dataLock = DataDirectoryLock.TryAcquire(settings.DataDirectory, out var lockError);
if (dataLock is null)
{
    Console.Error.WriteLine($"actor-cache: {lockError}");
    return Failed;
}

// Restored under the lock, before anything opens the store, so no running node can have the replaced store open.
if (launch.RestoreFrom is not null)
{
    try
    {
        DiskStoreFactory.Restore(settings.Backend, launch.RestoreFrom, settings.DataDirectory);
    }
    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
    {
        Console.Error.WriteLine($"actor-cache: cannot restore the {settings.Backend} store: {ErrorDescription.Of(ex)}");
        return Failed;
    }
}

// Akka.Remote does not fail the start cleanly when its port is taken, nor name a TLS certificate file it cannot read,
// so look first (a port taken in between still fails later, with Akka's own error).
var remoteError = PortCheck.FindProblem(config) ?? CertificateCheck.FindProblem(config);
if (remoteError is not null)
{
    Console.Error.WriteLine($"actor-cache: {remoteError}");
    return Failed;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss.fff ";
});
// Logs go to stderr; stdout carries only the start-up lines (address, backend, data folder) for people and scripts.
builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
// The host waits for CoordinatedShutdown, whose flush phase may take up to shutdown-flush-timeout.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownFlushTimeout + TimeSpan.FromSeconds(30));
builder.Services.AddAkka("actor-cache", akka =>
{
    akka.AddHocon(config, HoconAddMode.Prepend);
    // Akka's own log events go through Microsoft.Extensions.Logging.
    akka.ConfigureLoggers(loggers =>
    {
        loggers.ClearLoggers();
        loggers.AddLoggerFactory();
    });
});

using var host = builder.Build();
var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ActorCache.Server");

try
{
    await host.StartAsync();
}
catch (Exception ex)
{
    Console.Error.WriteLine($"actor-cache: cannot start Akka.Remote: {ErrorDescription.Of(ex)}");
    return Failed;
}

var system = host.Services.GetRequiredService<ActorSystem>();
ActorCacheNode node;
try
{
    node = ActorCacheNode.Start(system, new CacheNodeOptions { Settings = settings });
}
catch (Exception ex)
{
    Console.Error.WriteLine($"actor-cache: cannot open the {settings.Backend} store in {settings.DataDirectory}: {ErrorDescription.Of(ex)}");
    await host.StopAsync();
    return Failed;
}

RespServer? resp = null;
if (launch.Resp!.Enabled)
{
    try
    {
        resp = await RespServer.StartAsync(system, node, launch.Resp);
    }
    catch (System.Net.Sockets.SocketException ex)
    {
        Console.Error.WriteLine($"actor-cache: cannot listen for RESP on {launch.Resp.Host}:{launch.Resp.Port}: {ErrorDescription.Of(ex)} (choose another --resp-port, or --resp-port off)");
        await host.StopAsync();
        return Failed;
    }
    catch (Exception ex)
    {
        Console.Error.WriteLine($"actor-cache: cannot start RESP: {ErrorDescription.Of(ex)}");
        await host.StopAsync();
        return Failed;
    }
}

ActorRegistry.For(system).Register<ActorCacheNode>(node.Entry);
var address = ((ExtendedActorSystem)system).Provider.DefaultAddress;
var entryAddress = node.Entry.Path.ToStringWithAddress(address);
Console.WriteLine($"ActorCache node listening at {entryAddress}");
Console.WriteLine(resp is null ? "RESP (Redis protocol): off" : $"RESP (Redis protocol) listening at {resp.EndPoint}");
Console.WriteLine($"backend: {settings.Backend}");
Console.WriteLine($"data folder: {settings.DataDirectory}");
Console.WriteLine("Ctrl+C or SIGTERM flushes every dirty key to disk and stops the node.");
Console.Out.Flush();
log.LogInformation("ActorCache node started at {Address} with backend {Backend} in {DataDirectory}", entryAddress, settings.Backend, settings.DataDirectory);
if (launch.RestoreFrom is not null)
{
    log.LogInformation("The {Backend} store was restored from the snapshot in {Snapshot}", settings.Backend, launch.RestoreFrom);
}

await host.WaitForShutdownAsync();
log.LogInformation("ActorCache node stopped");
return 0;

