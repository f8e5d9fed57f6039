using Chat.Protocol.Security;
using Chat.Tests.Protocol.Support;
using FsCheck.Xunit;

namespace Chat.Tests.Protocol.Security;

public class TokenTests
{
    // See Known_answer_fixes_the_signature_format.
    private const string KnownSignature = "503MkpOkp2jo32OrDFVFjVt9udBaLyUgh_h4lUSWhQw";

    private static readonly DateTimeOffset Start = new(2025, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly SecretKey K1 = new("k1", Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly SecretKey K2 = new("k2", Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());

    private readonly ManualTimeProvider _time = new(Start);

    [Fact]
    public void Issued_token_verifies_with_its_claims()
    {
        var token = Signer(K1).Issue("alice", "couple-1", TimeSpan.FromHours(1));

        var result = Verifier(K1).Verify(token);

        Assert.True(result.IsValid);
        Assert.Equal(TokenFailure.None, result.Failure);
        Assert.Equal(new TokenClaims("k1", "alice", "couple-1", Start.AddHours(1)), result.Claims);
        Assert.StartsWith($"v1.k1.alice.couple-1.{Start.AddHours(1).ToUnixTimeSeconds()}.", token, StringComparison.Ordinal);
        Assert.Equal(43, token.Split('.')[5].Length);
    }

    [Fact]
    public void Known_answer_fixes_the_signature_format()
    {
        // HMAC-SHA256 with key bytes 1..32 over "v1.k1.u.c.1800000000", unpadded base64url. Computed
        // independently with: printf %s 'v1.k1.u.c.1800000000' | openssl dgst -sha256 -mac HMAC
        //   -macopt hexkey:0102..1f20 -binary | basenc --base64url | tr -d '='
        var token = Signer(K1).Issue("u", "c", DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));

        Assert.Equal("v1.k1.u.c.1800000000." + KnownSignature, token);
    }

    [Fact]
    public void Expiry_allows_the_clock_skew_and_no_more()
    {
        var token = Signer(K1).Issue("alice", "c1", TimeSpan.FromMinutes(5));
        var verifier = Verifier(K1);

        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(30));
        Assert.True(verifier.Verify(token).IsValid);

        _time.Advance(TimeSpan.FromSeconds(1));
        var result = verifier.Verify(token);
        Assert.Equal(TokenFailure.Expired, result.Failure);
        Assert.Null(result.Claims);
    }

    [Fact]
    public void Clock_skew_is_an_option()
    {
        var token = Signer(K1).Issue("alice", "c1", TimeSpan.FromMinutes(5));
        var strict = new TokenVerifier(new KeyRing([K1]), new TokenOptions { ClockSkew = TimeSpan.Zero }, _time);

        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        Assert.Equal(TokenFailure.Expired, strict.Verify(token).Failure);
        Assert.Throws<ArgumentException>(() => new TokenVerifier(new KeyRing([K1]), new TokenOptions { ClockSkew = TimeSpan.FromHours(1) }));
    }

    [Fact]
    public void Token_from_an_unknown_key_is_refused()
    {
        var token = Signer(K2).Issue("alice", "c1", TimeSpan.FromHours(1));

        Assert.Equal(TokenFailure.UnknownKey, Verifier(K1).Verify(token).Failure);
    }

    [Fact]
    public void Token_signed_with_another_secret_under_the_same_id_has_a_bad_signature()
    {
        var impostor = new SecretKey("k1", new byte[32]);
        var token = Signer(impostor).Issue("alice", "c1", TimeSpan.FromHours(1));

        Assert.Equal(TokenFailure.BadSignature, Verifier(K1).Verify(token).Failure);
    }

    [Theory]
    [InlineData(3, "couple-2")] // another couple: the attack that matters most
    [InlineData(2, "mallory")]
    [InlineData(4, "4102444800")] // a later expiry
    public void Tampered_part_has_a_bad_signature(int part, string replacement)
    {
        var parts = Signer(K1).Issue("alice", "couple-1", TimeSpan.FromHours(1)).Split('.');
        parts[part] = replacement;

        Assert.Equal(TokenFailure.BadSignature, Verifier(K1).Verify(string.Join('.', parts)).Failure);
    }

    [Fact]
    public void Tampered_key_id_is_unknown_or_bad()
    {
        var parts = Signer(K1).Issue("alice", "c1", TimeSpan.FromHours(1)).Split('.');
        parts[1] = "k2";

        Assert.Equal(TokenFailure.UnknownKey, Verifier(K1).Verify(string.Join('.', parts)).Failure);
        Assert.Equal(TokenFailure.BadSignature, Verifier(K1, K2).Verify(string.Join('.', parts)).Failure);
    }

    [Fact]
    public void No_single_character_change_is_accepted()
    {
        var token = Signer(K1).Issue("alice", "c1", TimeSpan.FromHours(1));
        var verifier = Verifier(K1, K2);
        foreach (var index in Enumerable.Range(0, token.Length))
        {
            foreach (var replacement in "0Aa_-.=+/ \u00e9")
            {
                if (token[index] == replacement)
                {
                    continue;
                }

                var changed = string.Concat(token.AsSpan(0, index), replacement.ToString(), token.AsSpan(index + 1));
                Assert.False(verifier.Verify(changed).IsValid, changed);
            }
        }
    }

    [Theory]
    [InlineData("v2.k1.alice.c1.1800000000.x", TokenFailure.UnsupportedVersion)]
    [InlineData("v10.anything", TokenFailure.UnsupportedVersion)]
    [InlineData("V1.k1.alice.c1.1800000000." + KnownSignature, TokenFailure.Malformed)]
    [InlineData("x1.k1.alice.c1.1800000000." + KnownSignature, TokenFailure.Malformed)]
    [InlineData("v1", TokenFailure.Malformed)]
    [InlineData("v2", TokenFailure.Malformed)]
    [InlineData("", TokenFailure.Malformed)]
    [InlineData(null, TokenFailure.Malformed)]
    [InlineData("v1.k1.u.c.1800000000", TokenFailure.Malformed)]
    [InlineData("v1.k1.u.c.1800000000." + KnownSignature + ".x", TokenFailure.Malformed)]
    [InlineData("v1.k1.u..1800000000." + KnownSignature, TokenFailure.Malformed)]
    [InlineData("v1.k1.u.c d.1800000000." + KnownSignature, TokenFailure.Malformed)]
    [InlineData("v1.k1.u.c.+1800000000." + KnownSignature, TokenFailure.Malformed)]
    [InlineData("v1.k1.u.c.-1." + KnownSignature, TokenFailure.Malformed)]
    [InlineData("v1.k1.u.c.18e8." + KnownSignature, TokenFailure.Malformed)]
    [InlineData("v1.k1.u.c.999999999999999999." + KnownSignature, TokenFailure.Malformed)]
    [InlineData("v1.k1.u.c.1800000000." + KnownSignature + "=", TokenFailure.Malformed)]
    [InlineData("v1.k1.u.c.1800000000.AAAA", TokenFailure.Malformed)]
    [InlineData("v1.k9.u.c.1800000000." + KnownSignature, TokenFailure.UnknownKey)]
    public void Malformed_tokens_get_a_reason(string? token, TokenFailure failure)
    {
        Assert.Equal(failure, Verifier(K1).Verify(token).Failure);
    }

    [Fact]
    public void Longest_valid_token_verifies()
    {
        var id = new string('x', 64);
        var keys = new KeyRing([new SecretKey(id, new byte[32])]);
        var token = new TokenSigner(keys, _time).Issue(id, id, DateTimeOffset.MaxValue);

        Assert.Equal(254, token.Length);
        Assert.True(new TokenVerifier(keys, time: _time).Verify(token).IsValid);
    }

    [Fact]
    public void Ids_longer_than_64_characters_are_malformed()
    {
        var longId = new string('a', 65);

        Assert.Equal(TokenFailure.Malformed, Verifier(K1).Verify($"v1.k1.{longId}.c.1800000000.{KnownSignature}").Failure);
        Assert.Throws<ArgumentException>(() => Signer(K1).Issue(longId, "c", TimeSpan.FromHours(1)));
        Assert.Equal(TokenFailure.Malformed, Verifier(K1).Verify(new string('v', 10_000)).Failure);
    }

    [Property(MaxTest = 500)]
    public bool Garbage_never_verifies_and_never_throws(string? garbage)
    {
        return !Verifier(K1).Verify(garbage).IsValid && !Verifier(K1).Verify("v1." + garbage).IsValid;
    }

    [Fact]
    public void Rotation_keeps_old_tokens_valid_until_the_old_key_is_removed()
    {
        var old = Signer(K1).Issue("alice", "c1", TimeSpan.FromHours(1));
        var rotated = new KeyRing([K1]).Prepend(K2);

        var fresh = new TokenSigner(rotated, _time).Issue("alice", "c1", TimeSpan.FromHours(1));
        var verifier = new TokenVerifier(rotated, time: _time);

        Assert.Equal("k2", verifier.Verify(fresh).Claims!.KeyId);
        Assert.Equal("k1", verifier.Verify(old).Claims!.KeyId);

        verifier.Keys = new KeyRing([K2]);
        Assert.Equal(TokenFailure.UnknownKey, verifier.Verify(old).Failure);
        Assert.True(verifier.Verify(fresh).IsValid);
    }

    [Fact]
    public void Keys_must_be_at_least_32_bytes_and_never_print_their_secret()
    {
        Assert.Throws<ArgumentException>(() => new SecretKey("k", new byte[31]));
        Assert.Throws<ArgumentException>(() => new SecretKey("bad id", new byte[32]));
        Assert.Throws<ArgumentException>(() => new KeyRing([K1, new SecretKey("k1", new byte[32])]));
        Assert.Throws<ArgumentException>(() => new KeyRing([]));

        var generated = SecretKey.Generate("fresh");
        Assert.Equal(32, generated.Secret.Length);
        Assert.Equal("SecretKey(fresh)", generated.ToString());
        Assert.NotEqual(generated.Secret.ToArray(), SecretKey.Generate("fresh").Secret.ToArray());
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("Az09_-", true)]
    [InlineData("", false)]
    [InlineData("a.b", false)]
    [InlineData("a b", false)]
    [InlineData("\u00e9", false)]
    public void Id_syntax(string id, bool valid)
    {
        Assert.Equal(valid, TokenIds.IsValid(id));
    }

    private TokenSigner Signer(SecretKey key) => new(new KeyRing([key]), _time);

    private TokenVerifier Verifier(params SecretKey[] keys) => new(new KeyRing(keys), time: _time);
}
