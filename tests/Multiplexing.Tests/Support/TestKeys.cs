using System.Text;
using Chat.Protocol.Multiplexing;

namespace Chat.Tests.Multiplexing.Support;

/// <summary>Fixed cluster keys for the tests.</summary>
public static class TestKeys
{
    public static readonly byte[] Key1 = Encoding.ASCII.GetBytes("test-cluster-key-one-0123456789abcdef");
    public static readonly byte[] Key2 = Encoding.ASCII.GetBytes("test-cluster-key-two-0123456789abcdef");
    public static readonly byte[] Forged = Encoding.ASCII.GetBytes("not-the-cluster-key-0123456789abcdef!");

    /// <summary>The cluster's key ring: k1 and k2, signing with <paramref name="signingKeyId"/>.</summary>
    public static MuxKeyRing Cluster(string signingKeyId = "k1") =>
        new(signingKeyId, new Dictionary<string, byte[]> { ["k1"] = Key1, ["k2"] = Key2 });

    /// <summary>A ring that claims key id k1 but holds other bytes.</summary>
    public static MuxKeyRing WrongBytes() => new("k1", new Dictionary<string, byte[]> { ["k1"] = Forged });

    /// <summary>A ring whose only key id the cluster does not know.</summary>
    public static MuxKeyRing UnknownId() => new("k9", new Dictionary<string, byte[]> { ["k9"] = Key1 });
}
