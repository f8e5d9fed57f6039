using Chat.Cluster.ZooKeeper;

namespace Chat.Tests.Cluster.ZooKeeper;

public sealed class ConnectStringTests
{
    [Fact]
    public void Parses_servers_default_port_ipv6_and_chroot()
    {
        var parsed = ConnectString.TryParse("zk1:2181, zk2 ,[::1]:2182,10.0.0.3:2183/chat/prod", out var error);
        Assert.Null(error);
        Assert.Equal([("zk1", 2181), ("zk2", 2181), ("::1", 2182), ("10.0.0.3", 2183)], parsed!.Servers.ToArray());
        Assert.Equal("/chat/prod", parsed.Chroot);
    }

    [Theory]
    [InlineData("127.0.0.1:2181", "")]
    [InlineData("127.0.0.1:2181/", "")]
    [InlineData("a:1/x", "/x")]
    public void Chroot_is_empty_or_a_path(string text, string chroot) =>
        Assert.Equal(chroot, ConnectString.TryParse(text, out _)!.Chroot);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(",")]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("host:abc")]
    [InlineData(":2181")]
    [InlineData("::1:2181")]
    [InlineData("[::1")]
    [InlineData("[::1]x")]
    [InlineData("host:2181/chat/")]
    [InlineData("host:2181/chat//x")]
    public void Refuses_malformed_strings_with_a_reason(string text)
    {
        Assert.Null(ConnectString.TryParse(text, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }
}
