using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorCache.IntegrationTests.Tls;

/// <summary>
/// A throwaway self-signed certificate made at test time (RSA 2048, SHA-256, SAN 127.0.0.1 and localhost, usable for
/// both TLS server and client authentication), written to a folder as a password-protected PKCS#12 file (what
/// Akka.Remote's ssl.certificate.path reads) and as a PEM file without the key (what a trust store holds).
/// </summary>
public sealed record TestCertificate(string PfxPath, string Password, string PemPath, string Thumbprint)
{
    public static TestCertificate Create(string folder, string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication"), new Oid("1.3.6.1.5.5.7.3.2", "Client Authentication")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));

        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        var pfx = Path.Combine(folder, $"{name}.pfx");
        var pem = Path.Combine(folder, $"{name}.pem");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pkcs12, password));
        File.WriteAllText(pem, certificate.ExportCertificatePem());
        return new TestCertificate(pfx, password, pem, certificate.Thumbprint);
    }
}
