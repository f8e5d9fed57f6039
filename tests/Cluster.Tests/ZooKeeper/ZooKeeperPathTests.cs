using Chat.Cluster.ZooKeeper;

namespace Chat.Tests.Cluster.ZooKeeper;

public sealed class ZooKeeperPathTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/a")]
    [InlineData("/chat/ring/shard-1")]
    [InlineData("/a.b/..c/é")]
    public void Accepts_valid_paths(string path) => Assert.Null(ZooKeeperPath.Validate(path));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("/a/")]
    [InlineData("//a")]
    [InlineData("/a/./b")]
    [InlineData("/a/..")]
    [InlineData("/a\0b")]
    [InlineData("/a\u0001")]
    [InlineData("/a\ud800")]
    public void Refuses_invalid_paths(string? path) => Assert.NotNull(ZooKeeperPath.Validate(path));

    [Fact]
    public void A_sequential_create_may_end_in_a_slash() => Assert.Null(ZooKeeperPath.Validate("/queue/", sequential: true));

    [Theory]
    [InlineData("", "/a", "/a")]
    [InlineData("/root", "/", "/root")]
    [InlineData("/root", "/a/b", "/root/a/b")]
    public void Maps_to_the_server_and_back(string chroot, string path, string server)
    {
        Assert.Equal(server, ZooKeeperPath.ToServer(chroot, path));
        Assert.Equal(path, ZooKeeperPath.FromServer(chroot, server));
    }

    [Fact]
    public void A_server_path_outside_the_chroot_is_kept() =>
        Assert.Equal("/rootless/x", ZooKeeperPath.FromServer("/root", "/rootless/x"));
}
