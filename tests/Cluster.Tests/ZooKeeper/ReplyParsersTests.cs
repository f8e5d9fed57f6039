using Chat.Cluster.ZooKeeper;

namespace Chat.Tests.Cluster.ZooKeeper;

/// <summary>Reply bodies, the multi response in particular (MultiResponse in the Java client).</summary>
public sealed class ReplyParsersTests
{
    private static readonly ZooKeeperOp[] Ops =
    [
        ZooKeeperOp.Create("/a", default, CreateMode.Persistent),
        ZooKeeperOp.SetData("/b", default, -1),
        ZooKeeperOp.Delete("/c"),
    ];

    [Fact]
    public void A_successful_multi_yields_each_result()
    {
        var body = new JuteWriter();
        Header(body, 1, 0);
        body.WriteString("/root/a");
        Header(body, 5, 0);
        WriteStat(body, version: 3);
        Header(body, 2, 0);
        body.WriteInt(-1);
        body.WriteBool(true);
        body.WriteInt(-1);

        var result = Parse(body, ZooKeeperError.Ok);
        Assert.Equal(ZooKeeperError.Ok, result.Error);
        Assert.Equal(
            [
                new ZooKeeperOpResult(ZooKeeperOpKind.Create, ZooKeeperError.Ok, "/a", null),
                new ZooKeeperOpResult(ZooKeeperOpKind.SetData, ZooKeeperError.Ok, null, Stat(3)),
                new ZooKeeperOpResult(ZooKeeperOpKind.Delete, ZooKeeperError.Ok, null, null),
            ],
            result.Value.ToArray());
    }

    [Fact]
    public void A_failed_multi_reports_the_first_real_error_and_every_result()
    {
        var body = new JuteWriter();
        foreach (var error in new[] { 0, -101, -2 })
        {
            Header(body, -1, error);
            body.WriteInt(error);
        }

        body.WriteInt(-1);
        body.WriteBool(true);
        body.WriteInt(-1);

        var result = Parse(body, ZooKeeperError.Ok);
        Assert.Equal(ZooKeeperError.NoNode, result.Error);
        Assert.Equal([ZooKeeperError.Ok, ZooKeeperError.NoNode, ZooKeeperError.RuntimeInconsistency], result.Value.Select(r => r.Error));
    }

    [Fact]
    public void A_multi_without_a_body_keeps_the_header_error() =>
        Assert.Equal(ZooKeeperError.NoNode, Parse(new JuteWriter(), ZooKeeperError.NoNode).Error);

    [Fact]
    public void More_or_fewer_results_than_operations_is_a_format_error()
    {
        var body = new JuteWriter();
        Header(body, 2, 0);
        body.WriteInt(-1);
        body.WriteBool(true);
        body.WriteInt(-1);
        Assert.Throws<JuteFormatException>(() => Parse(body, ZooKeeperError.Ok));
    }

    [Fact]
    public void Children_and_data_replies_parse_with_their_stat()
    {
        var body = new JuteWriter();
        body.WriteStringVector(["b", "a"]);
        WriteStat(body, version: 9);
        var bytes = Bytes(body);
        var reader = new JuteReader(bytes);
        var children = ReplyParsers.Children(ZooKeeperError.Ok, ref reader);
        Assert.Equal(["b", "a"], children.Value!.Children.ToArray());
        Assert.Equal(9, children.Value.Stat.Version);

        var empty = new JuteReader([]);
        Assert.Equal(ZooKeeperError.NoNode, ReplyParsers.Data(ZooKeeperError.NoNode, ref empty).Error);
    }

    private static ZooKeeperResult<System.Collections.Immutable.ImmutableArray<ZooKeeperOpResult>> Parse(JuteWriter body, ZooKeeperError error)
    {
        var bytes = Bytes(body);
        var reader = new JuteReader(bytes);
        return ReplyParsers.Multi("/root", Ops)(error, ref reader);
    }

    private static byte[] Bytes(JuteWriter body) => body.ToArray();

    private static void Header(JuteWriter body, int type, int error)
    {
        body.WriteInt(type);
        body.WriteBool(false);
        body.WriteInt(error);
    }

    private static ZooKeeperStat Stat(int version) => new(1, 2, 3, 4, version, 5, 6, 7, 8, 9, 10);

    private static void WriteStat(JuteWriter body, int version)
    {
        body.WriteLong(1);
        body.WriteLong(2);
        body.WriteLong(3);
        body.WriteLong(4);
        body.WriteInt(version);
        body.WriteInt(5);
        body.WriteInt(6);
        body.WriteLong(7);
        body.WriteInt(8);
        body.WriteInt(9);
        body.WriteLong(10);
    }
}
