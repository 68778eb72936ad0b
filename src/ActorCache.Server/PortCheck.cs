using System.Net;
using System.Net.Sockets;
using Akka.Configuration;

namespace ActorCache.Server;

/// <summary>Checks before start that Akka.Remote's address can be bound, for a clear one-line error.</summary>
internal static class PortCheck
{
    /// <summary>A one-line problem with the configured host and port, or null if binding them works.</summary>
    public static string? FindProblem(Config config)
    {
        var host = config.GetString("akka.remote.dot-netty.tcp.hostname");
        var port = config.GetInt("akka.remote.dot-netty.tcp.port");
        if (port == 0)
        {
            return null;
        }

        IPAddress address;
        try
        {
            address = IPAddress.TryParse(host, out var parsed) ? parsed : Dns.GetHostAddresses(host)[0];
        }
        catch (Exception ex) when (ex is SocketException or IndexOutOfRangeException or ArgumentException)
        {
            return $"cannot resolve --host {host}: {ex.Message}";
        }

        try
        {
            var listener = new TcpListener(address, port);
            listener.Start();
            listener.Stop();
            return null;
        }
        catch (SocketException ex)
        {
            return $"cannot listen on {host}:{port}: {ex.Message}";
        }
    }
}
