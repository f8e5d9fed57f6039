using Chat.Protocol.Multiplexing;
using Chat.Protocol.Security;

namespace Chat.Tests.Protocol.Multiplexing;

public sealed class MuxKeyRingFromKeyFileTests
{
    [Fact]
    public void A_cluster_key_file_signs_with_its_first_key_and_verifies_with_all()
    {
        var newest = SecretKey.Generate("k2");
        var older = SecretKey.Generate("k1");
        var ring = MuxKeyRing.From(new KeyRing([newest, older]));

        Assert.Equal("k2", ring.SigningKeyId);
        Assert.True(ring.SigningKey.SequenceEqual(newest.Secret.Span));
        Assert.True(ring.TryGetKey("k1", out var key) && key.SequenceEqual(older.Secret.Span));
        Assert.False(ring.TryGetKey("k3", out _));
    }
}
