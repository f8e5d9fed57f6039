using System.Text;
using Chat.Protocol.Multiplexing;

namespace Chat.Tests.Protocol.Multiplexing;

public class MuxHandshakeMacTests
{
    private static readonly byte[] Key = Encoding.ASCII.GetBytes("0123456789abcdef0123456789abcdef");
    private static readonly byte[] Other = Encoding.ASCII.GetBytes("fedcba9876543210fedcba9876543210");
    private static readonly byte[] ServerNonce = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] ClientNonce = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void A_hello_mac_verifies_only_with_the_same_key_nonces_and_gateway()
    {
        var mac = MuxHandshakeMac.ComputeHello(Key, ServerNonce, ClientNonce, "gw-1");

        Assert.Equal(MuxProtocol.MacSize, mac.Length);
        Assert.True(MuxHandshakeMac.VerifyHello(Key, ServerNonce, ClientNonce, "gw-1", mac));
        Assert.False(MuxHandshakeMac.VerifyHello(Other, ServerNonce, ClientNonce, "gw-1", mac));
        Assert.False(MuxHandshakeMac.VerifyHello(Key, ClientNonce, ServerNonce, "gw-1", mac));
        Assert.False(MuxHandshakeMac.VerifyHello(Key, ServerNonce, ClientNonce, "gw-2", mac));
        Assert.False(MuxHandshakeMac.VerifyHello(Key, ServerNonce, ClientNonce, "gw-1", mac.AsSpan(1)));
    }

    [Fact]
    public void A_hello_mac_never_passes_as_a_hello_ok_mac()
    {
        // Same key and nonces in the order HelloOk uses: the labels keep them apart.
        var hello = MuxHandshakeMac.ComputeHello(Key, ClientNonce, ServerNonce, "x");

        Assert.False(MuxHandshakeMac.VerifyHelloOk(Key, ClientNonce, ServerNonce, "x", hello));
        Assert.True(MuxHandshakeMac.VerifyHelloOk(Key, ClientNonce, ServerNonce, "x", MuxHandshakeMac.ComputeHelloOk(Key, ClientNonce, ServerNonce, "x")));
    }

    [Fact]
    public void Nonces_are_fresh() => Assert.NotEqual(MuxHandshakeMac.NewNonce(), MuxHandshakeMac.NewNonce());

    [Fact]
    public void The_key_ring_finds_keys_by_id_and_rejects_bad_configurations()
    {
        var ring = new MuxKeyRing("b", new Dictionary<string, byte[]> { ["a"] = Key, ["b"] = Other });

        Assert.Equal("b", ring.SigningKeyId);
        Assert.True(ring.SigningKey.SequenceEqual(Other));
        Assert.True(ring.TryGetKey("a", out var a) && a.SequenceEqual(Key));
        Assert.False(ring.TryGetKey("c", out _));
        Assert.Throws<ArgumentException>(() => new MuxKeyRing("c", new Dictionary<string, byte[]> { ["a"] = Key }));
        Assert.Throws<ArgumentException>(() => new MuxKeyRing("a", new Dictionary<string, byte[]> { ["a"] = new byte[31] }));
        Assert.Throws<ArgumentException>(() => new MuxKeyRing("", new Dictionary<string, byte[]> { ["a"] = Key }));
    }
}
