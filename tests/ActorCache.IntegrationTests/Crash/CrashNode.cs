using System.Net;
using System.Net.Sockets;
using ActorCache.IntegrationTests.Process;

namespace ActorCache.IntegrationTests.Crash;

/// <summary>
/// The real server (<see cref="ServerProcess"/>) with RESP on 127.0.0.1 and a port of its own. ServerProcess reports
/// the Akka address only, so the RESP port is chosen here (a port the OS just handed out and released); if another
/// process takes it before the node binds it, the node exits with "cannot listen for RESP" and is started again on
/// another port. Any other start failure (a store that does not open after a crash, say) is the spec's failure.
/// </summary>
internal sealed class CrashNode : IDisposable
{
    private readonly ServerProcess _process;

    private CrashNode(ServerProcess process, int respPort)
    {
        _process = process;
        RespPort = respPort;
    }

    public int RespPort { get; }

    public string StandardError => _process.StandardError;

    public static async Task<CrashNode> StartAsync(string dataDirectory, string arguments)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            try
            {
                var process = await ServerProcess.StartAsync(dataDirectory, $"{arguments} --resp-port {port}");
                return new CrashNode(process, port);
            }
            catch (InvalidOperationException ex) when (attempt < 3 && ex.Message.Contains("cannot listen for RESP", StringComparison.Ordinal))
            {
                // The port was taken in between; try another one.
            }
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, nothing is flushed.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>SIGTERM; returns the exit code.</summary>
    public Task<int> TerminateAsync() => _process.TerminateAsync();

    public void Dispose() => _process.Dispose();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
