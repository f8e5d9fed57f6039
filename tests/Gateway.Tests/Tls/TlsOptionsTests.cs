using System.Security.Authentication;
using Chat.Gateway.Tls;

namespace Chat.Tests.Gateway.Tls;

public sealed class TlsOptionsTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public void Valid_separate_and_combined_files_pass()
    {
        _certificates.WriteSeparate(TestKeyKind.Rsa2048);
        _certificates.WriteCombined(TestKeyKind.EcdsaP256);
        Assert.Null(new TlsOptions { CertificatePath = _certificates.CertificatePath, KeyPath = _certificates.KeyPath }.Validate());
        Assert.Null(new TlsOptions { CertificatePath = _certificates.CombinedPath }.Validate());
    }

    [Fact]
    public void Each_problem_is_one_line_naming_what_is_wrong()
    {
        _certificates.WriteSeparate(TestKeyKind.EcdsaP256);
        string good = _certificates.CertificatePath;
        string key = _certificates.KeyPath;

        AssertError(new TlsOptions(), "CertificatePath is required");
        AssertError(new TlsOptions { CertificatePath = Path.Combine(_certificates.Directory, "missing.crt") }, "does not exist");
        AssertError(new TlsOptions { CertificatePath = good, KeyPath = Path.Combine(_certificates.Directory, "missing.key") }, "key file");
#pragma warning disable CA5397, SYSLIB0039 // Deliberately deprecated protocols: validation must refuse them.
        AssertError(new TlsOptions { CertificatePath = good, KeyPath = key, EnabledProtocols = SslProtocols.Tls11 | SslProtocols.Tls12 }, "EnabledProtocols");
#pragma warning restore CA5397, SYSLIB0039
        AssertError(new TlsOptions { CertificatePath = good, KeyPath = key, EnabledProtocols = SslProtocols.None }, "EnabledProtocols");
        AssertError(new TlsOptions { CertificatePath = good, KeyPath = key, HandshakeTimeout = TimeSpan.Zero }, "HandshakeTimeout");
        AssertError(new TlsOptions { CertificatePath = good, KeyPath = key, CloseNotifyTimeout = TimeSpan.FromSeconds(-1) }, "CloseNotifyTimeout");
        AssertError(new TlsOptions { CertificatePath = good, KeyPath = key, CertificatePollInterval = TimeSpan.Zero }, "CertificatePollInterval");

        // No key in the certificate file.
        AssertError(new TlsOptions { CertificatePath = good }, "cannot load certificate");

        // A key that belongs to another certificate.
        string otherKey = Path.Combine(_certificates.Directory, "other.key");
        File.WriteAllText(otherKey, TestCertificates.Create(TestKeyKind.EcdsaP256).KeyPem);
        AssertError(new TlsOptions { CertificatePath = good, KeyPath = otherKey }, "cannot load certificate");

        // Not PEM at all.
        string garbage = Path.Combine(_certificates.Directory, "garbage.pem");
        File.WriteAllText(garbage, "this is not a certificate");
        AssertError(new TlsOptions { CertificatePath = garbage, KeyPath = key }, "garbage.pem");
    }

    [Fact]
    public void The_factory_refuses_bad_options_with_the_same_line()
    {
        var options = new TlsOptions { CertificatePath = Path.Combine(_certificates.Directory, "missing.crt") };
        Assert.False(TlsEngines.TryCreate(options, new TestLog(), null, null, out ITlsEngine? engine, out string? error));
        Assert.Null(engine);
        Assert.Equal(options.Validate(), error);
    }

    private static void AssertError(TlsOptions options, string expected)
    {
        string? error = options.Validate();
        Assert.NotNull(error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }
}
