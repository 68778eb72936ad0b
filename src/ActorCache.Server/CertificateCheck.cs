using Akka.Configuration;

namespace ActorCache.Server;

/// <summary>
/// Checks before start that the TLS certificate file can be read: Akka.Remote's own error ("no such file", from
/// OpenSSL, wrapped twice) does not say which file.
/// </summary>
internal static class CertificateCheck
{
    private const string Ssl = "akka.remote.dot-netty.tcp.ssl.certificate";

    /// <summary>A one-line problem with the configured certificate file, or null if there is none (or TLS is off).</summary>
    public static string? FindProblem(Config config)
    {
        if (!config.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl") || config.GetBoolean($"{Ssl}.use-thumbprint-over-file"))
        {
            return null;
        }

        var path = config.GetString($"{Ssl}.path");
        try
        {
            File.OpenRead(path).Dispose();
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return $"cannot read the TLS certificate {path} ({Ssl}.path): {ErrorDescription.Of(ex)}";
        }
    }
}
