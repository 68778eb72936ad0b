using System.Security.Cryptography.X509Certificates;
using ActorCache.Client;
using ActorCache.IntegrationTests.Process;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Remote.Transport.DotNetty;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.IntegrationTests.Tls;

/// <summary>
/// The real node started with the shipped hocon/tls-node.conf (only the certificate path and password filled in) and a
/// certificate generated here. The node's trust store is that one certificate: its process gets SSL_CERT_FILE naming
/// it and SSL_CERT_DIR naming an empty folder, which is how .NET on Linux (OpenSSL) is told which roots to trust.
/// Clients are ActorSystems in this test process configured from the shipped hocon/tls-client.conf.
/// </summary>
public sealed class TlsSpec : Akka.TestKit.Xunit2.TestKit, IDisposable
{
    /// <summary>Akka.Remote's TlsHandshakeFailureReason: CoordinatedShutdown after a failed outbound TLS handshake.</summary>
    private const int TlsHandshakeFailureExitCode = 79;

    private static readonly CacheClientOptions ShortTimeout = new() { RequestTimeout = TimeSpan.FromSeconds(3) };

    private readonly string _folder = Directory.CreateTempSubdirectory("actor-cache-tls-").FullName;
    private readonly TestCertificate _trusted;

    /// <summary>Sys is a plain client: CacheClientConfig.Remote() without TLS.</summary>
    public TlsSpec(ITestOutputHelper output)
        : base(ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(CacheClientConfig.Remote()), output: output)
    {
        _trusted = TestCertificate.Create(_folder, "actor-cache-node");
    }

    [Fact]
    public async Task A_client_with_the_trusted_certificate_sets_and_gets_over_tls()
    {
        using var node = await StartTlsNodeAsync();
        var address = await node.Address;
        Assert.StartsWith("akka.ssl.tcp://actor-cache@", address);

        await AssertTrustedClientWorksAsync(address, "greeting", "hello over tls");
    }

    [Fact]
    public async Task A_client_without_tls_is_refused()
    {
        using var node = await StartTlsNodeAsync();
        var address = await node.Address;

        // Sys speaks plain Akka.Remote TCP to the node's port; the node expects a TLS handshake and drops it. (Given the
        // akka.ssl.tcp address itself, a client without TLS has no transport for that scheme and cannot even try.)
        var plainAddress = address.Replace("akka.ssl.tcp://", "akka.tcp://", StringComparison.Ordinal);
        await Assert.ThrowsAsync<CacheUnavailableException>(() => CacheClient.ConnectAsync(Sys, plainAddress, ShortTimeout));

        await AssertTrustedClientWorksAsync(address, "after-plain", "still serving");
        await AwaitAssertAsync(() => Assert.Contains("not an SSL/TLS record", node.StandardError, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tls_client_whose_certificate_the_node_does_not_trust_is_refused()
    {
        using var node = await StartTlsNodeAsync();
        var address = await node.Address;
        var stranger = TestCertificate.Create(_folder, "stranger");

        // Mutual TLS: the node asks for the client's certificate and checks its chain against its trust store, which
        // holds only the node's certificate. The stranger's client itself accepts the node (see ClientConfig).
        await WithClientSystemAsync(ClientConfig(stranger, acceptAnyNodeCertificate: true), system => AssertRefusedAsync(system, address));

        await AssertTrustedClientWorksAsync(address, "after-stranger", "still serving");
        await AwaitAssertAsync(() => Assert.Contains("Certificate chain validation failed", node.StandardError, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tls_client_refuses_a_node_whose_certificate_it_does_not_trust()
    {
        using var node = await StartTlsNodeAsync();
        var address = await node.Address;

        // The shipped client configuration as it is (suppress-validation = off): this test process's trust store does
        // not hold the generated certificate, so the client rejects the node in the handshake although it holds the
        // very certificate the node trusts. Client-side validation is on, not a formality. Akka.Remote 1.5.74 answers a
        // failed outbound TLS handshake by running CoordinatedShutdown on the client's ActorSystem (exit code 79).
        await WithClientSystemAsync(ClientConfig(_trusted, acceptAnyNodeCertificate: false), async system =>
        {
            var refused = await AssertRefusedAsync(system, address);
            Assert.Contains("the client's ActorSystem was shut down while connecting", refused.Message, StringComparison.Ordinal);
            await system.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(TlsHandshakeFailureExitCode, CoordinatedShutdown.Get(system).ShutdownReason?.ExitCode);
        });

        await AssertTrustedClientWorksAsync(address, "after-distrust", "still serving");
    }

    [Fact]
    public async Task A_client_in_code_that_pins_the_node_certificate_validates_it_without_a_trust_store()
    {
        using var node = await StartTlsNodeAsync();
        var address = await node.Address;

        // Programmatic alternative to the trust store: DotNettySslSetup replaces the HOCON ssl section, and its custom
        // validator accepts exactly the node certificate's thumbprint (and nothing else) without suppressing validation.
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(_trusted.PfxPath, _trusted.Password);
        var setup = BootstrapSetup.Create()
            .WithConfig(ConfigurationFactory.ParseString("akka.remote.dot-netty.tcp.enable-ssl = on\nakka.loglevel = WARNING").WithFallback(CacheClientConfig.Remote()))
            .And(new DotNettySslSetup(certificate, suppressValidation: false, requireMutualAuthentication: true,
                customValidator: CertificateValidation.PinnedCertificate(_trusted.Thumbprint)));
        var system = ActorSystem.Create("tls-pinned-client", setup);
        try
        {
            using var client = await CacheClient.ConnectAsync(system, address, new CacheClientOptions { RequestTimeout = TimeSpan.FromSeconds(10) });
            Assert.True(await client.SetAsync("pinned", "yes"));
            Assert.Equal("yes", await client.GetAsync("pinned"));
        }
        finally
        {
            await system.Terminate();
            certificate.Dispose();
        }
    }

    [Fact]
    public async Task A_node_whose_certificate_cannot_be_read_does_not_start()
    {
        var config = Path.Combine(_folder, "missing-certificate.conf");
        File.WriteAllText(config, ShippedConfig("tls-node.conf") + CertificateOverride(_trusted with { PfxPath = Path.Combine(_folder, "missing.pfx") }));
        var dataDirectory = Directory.CreateDirectory(Path.Combine(_folder, "data-missing-certificate")).FullName;

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(dataDirectory, $"--config \"{config}\""));
        Assert.Contains("exited with 2", failure.Message, StringComparison.Ordinal);
        // The message carries the node's stderr, whose one line names the file.
        Assert.Contains($"actor-cache: cannot read the TLS certificate {Path.Combine(_folder, "missing.pfx")}", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_whose_certificate_file_is_not_a_certificate_says_why_in_one_line()
    {
        var notACertificate = Path.Combine(_folder, "not-a-certificate.pfx");
        File.WriteAllText(notACertificate, "not a certificate");
        var config = Path.Combine(_folder, "not-a-certificate.conf");
        File.WriteAllText(config, ShippedConfig("tls-node.conf") + CertificateOverride(_trusted with { PfxPath = notACertificate }));
        var dataDirectory = Directory.CreateDirectory(Path.Combine(_folder, "data-not-a-certificate")).FullName;

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(dataDirectory, $"--config \"{config}\""));

        // Akka.Remote's failure comes wrapped in AggregateExceptions and a TargetInvocationException: the line shows
        // the cause instead.
        var line = Assert.Single(failure.Message.Split('\n'), l => l.Contains("actor-cache: cannot start Akka.Remote: ", StringComparison.Ordinal));
        Assert.DoesNotContain("target of an invocation", line, StringComparison.Ordinal);
        Assert.DoesNotContain("One or more errors occurred", line, StringComparison.Ordinal);
        Assert.Contains("ASN1", line, StringComparison.Ordinal); // .NET on Linux: "ASN1 corrupted data."
    }

    /// <summary>
    /// The client cannot reach the node: ConnectAsync fails with CacheUnavailableException, whether it timed out or the
    /// client's own failed TLS handshake made Akka.Remote shut the client's ActorSystem down (exit code 79).
    /// </summary>
    private static Task<CacheUnavailableException> AssertRefusedAsync(ActorSystem system, string address) =>
        Assert.ThrowsAsync<CacheUnavailableException>(() => CacheClient.ConnectAsync(system, address, ShortTimeout));

    private async Task AssertTrustedClientWorksAsync(string address, string key, string value)
    {
        await WithClientSystemAsync(ClientConfig(_trusted, acceptAnyNodeCertificate: true), async system =>
        {
            using var client = await CacheClient.ConnectAsync(system, address, new CacheClientOptions { RequestTimeout = TimeSpan.FromSeconds(10) });
            Assert.True(await client.SetAsync(key, value));
            Assert.Equal(value, await client.GetAsync(key));
        });
    }

    private async Task<ServerProcess> StartTlsNodeAsync()
    {
        var config = Path.Combine(_folder, "node.conf");
        File.WriteAllText(config, ShippedConfig("tls-node.conf") + CertificateOverride(_trusted));
        var emptyCertificateFolder = Directory.CreateDirectory(Path.Combine(_folder, "no-other-roots")).FullName;
        var dataDirectory = Directory.CreateDirectory(Path.Combine(_folder, $"data-{Guid.NewGuid():N}")).FullName;
        return await ServerProcess.StartAsync(dataDirectory, $"--config \"{config}\"", new Dictionary<string, string>
        {
            ["SSL_CERT_FILE"] = _trusted.PemPath,
            ["SSL_CERT_DIR"] = emptyCertificateFolder,
        });
    }

    /// <summary>
    /// hocon/tls-client.conf over CacheClientConfig.Remote(), with this certificate. acceptAnyNodeCertificate turns on
    /// suppress-validation for this client only: OpenSSL finds the trusted roots through SSL_CERT_FILE/SSL_CERT_DIR in
    /// the process's native environment, which a running .NET process cannot change (on Unix, SetEnvironmentVariable
    /// changes only .NET's own copy), so this test process cannot be made to trust a certificate generated during the
    /// test short of writing to the user's trust store. The node side always validates; a real client trusts the node's
    /// certificate through SSL_CERT_FILE or its system store, as the configuration's comments say.
    /// </summary>
    private static Config ClientConfig(TestCertificate certificate, bool acceptAnyNodeCertificate) =>
        ConfigurationFactory.ParseString(
                ShippedConfig("tls-client.conf")
                + CertificateOverride(certificate)
                + (acceptAnyNodeCertificate ? "\nakka.remote.dot-netty.tcp.ssl.suppress-validation = on\n" : "")
                + "\nakka.loglevel = WARNING\n")
            .WithFallback(CacheClientConfig.Remote());

    private static async Task WithClientSystemAsync(Config config, Func<ActorSystem, Task> use)
    {
        var system = ActorSystem.Create("tls-client", config);
        try
        {
            await use(system);
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static string CertificateOverride(TestCertificate certificate) => $$"""

        akka.remote.dot-netty.tcp.ssl.certificate {
          path = {{Quote(certificate.PfxPath)}}
          password = {{Quote(certificate.Password)}}
        }

        """;

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>A file of the repository's hocon/ folder (found by walking up from the test's build folder).</summary>
    private static string ShippedConfig(string name)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "hocon", name);
            if (File.Exists(candidate)) return File.ReadAllText(candidate);
        }

        throw new FileNotFoundException($"hocon/{name} not found above {AppContext.BaseDirectory}");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }
}
