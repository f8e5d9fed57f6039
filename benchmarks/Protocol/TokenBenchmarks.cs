using BenchmarkDotNet.Attributes;
using Chat.Protocol.Security;

namespace Chat.Benchmarks.Protocol;

/// <summary>
/// Token signing (chatctl, account tier) and verification (every connection, on gateway and shard). Run:
///   dotnet run -c Release --project benchmarks -- --filter '*TokenBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class TokenBenchmarks
{
    private TokenSigner _signer = null!;
    private TokenVerifier _verifier = null!;
    private string _token = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Two keys, as during a rotation; the token is signed by the first.
        var keys = new KeyRing([SecretKey.Generate("k2"), SecretKey.Generate("k1")]);
        _signer = new TokenSigner(keys);
        _verifier = new TokenVerifier(keys);
        _token = _signer.Issue("user-7f3a9c", "couple-1b2c3d", TimeSpan.FromHours(1));
        if (!_verifier.Verify(_token).IsValid)
        {
            throw new InvalidOperationException("benchmark token does not verify");
        }
    }

    [Benchmark]
    public string Sign() => _signer.Issue("user-7f3a9c", "couple-1b2c3d", TimeSpan.FromHours(1));

    [Benchmark]
    public TokenVerification Verify() => _verifier.Verify(_token);
}
