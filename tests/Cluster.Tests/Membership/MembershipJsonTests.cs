using System.Text;
using Chat.Cluster.Membership;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Chat.Tests.Cluster.Membership;

/// <summary>The node data formats: exact field names, and untrusted input refused with a reason.</summary>
public sealed class MembershipJsonTests
{
    [Fact]
    public void Encodes_the_documented_field_names()
    {
        Assert.Equal(
            """{"host":"10.0.0.1","muxPort":7001,"directPort":null,"adminPort":9001}""",
            Encoding.UTF8.GetString(MembershipJson.Encode(new ShardNodeData("10.0.0.1", 7001, null, 9001))));
        Assert.Equal("""{"weight":100}""", Encoding.UTF8.GetString(MembershipJson.Encode(new RingNodeData(100))));
        Assert.Equal(
            """{"host":"gw","port":443,"adminUrl":"http://a/","connections":5,"cpu":0.5,"weight":80,"draining":false}""",
            Encoding.UTF8.GetString(MembershipJson.Encode(new GatewayNodeData("gw", 443, "http://a/", 5, 0.5, 80, false))));
    }

    [Fact]
    public void Round_trips()
    {
        var shard = new ShardNodeData("h", 1, 2, null);
        Assert.Equal(shard, MembershipJson.TryParseShard(MembershipJson.Encode(shard), out _));
        var gateway = new GatewayNodeData("g", 2, null, 0, 1, 0, true);
        Assert.Equal(gateway, MembershipJson.TryParseGateway(MembershipJson.Encode(gateway), out _));
        Assert.Equal(new RingNodeData(7), MembershipJson.TryParseRing("""{"weight":7,"extra":"ignored"}"""u8, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("""{"weight":0}""")]
    [InlineData("""{"weight":10001}""")]
    [InlineData("""{"weight":"100"}""")]
    [InlineData("""{"weight":1.5}""")]
    [InlineData("[1]")]
    public void Refuses_bad_ring_data(string json)
    {
        Assert.Null(MembershipJson.TryParseRing(Encoding.UTF8.GetBytes(json), out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("""{"muxPort":7001}""")]
    [InlineData("""{"host":" ","muxPort":7001}""")]
    [InlineData("""{"host":"h","muxPort":0}""")]
    [InlineData("""{"host":"h","muxPort":7001,"directPort":70000}""")]
    [InlineData("""{"host":"h","muxPort":7001,"adminPort":-1}""")]
    public void Refuses_bad_shard_data(string json) =>
        Assert.Null(MembershipJson.TryParseShard(Encoding.UTF8.GetBytes(json), out _));

    [Theory]
    [InlineData("""{"host":"g","port":1,"connections":-1,"cpu":0,"weight":1,"draining":false}""")]
    [InlineData("""{"host":"g","port":1,"connections":1,"cpu":1.5,"weight":1,"draining":false}""")]
    [InlineData("""{"host":"g","port":1,"connections":1,"cpu":0,"weight":-1,"draining":false}""")]
    [InlineData("""{"port":1}""")]
    public void Refuses_bad_gateway_data(string json) =>
        Assert.Null(MembershipJson.TryParseGateway(Encoding.UTF8.GetBytes(json), out _));

    [Property(Replay = "(20251123,7)", MaxTest = 300)]
    public Property Arbitrary_bytes_never_throw(byte[] data) =>
        Prop.ToProperty(
            MembershipJson.TryParseRing(data, out _) is null or { Weight: >= 1 and <= 10_000 }
            && MembershipJson.TryParseShard(data, out _) is null or { MuxPort: > 0 }
            && MembershipJson.TryParseGateway(data, out _) is null or { Port: > 0 });
}
