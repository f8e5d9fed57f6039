using System.Buffers.Binary;
using Chat.Protocol.Packets;
using Chat.Tests.Functional.Support;

namespace Chat.Tests.Functional.ChatService;

/// <summary>
/// Hostile or broken input on one connection gets its Error (or a close) and ends only that
/// connection: after each case a second connection authenticates and chats normally.
/// </summary>
public sealed class BadInputTests(SingleShardFixture fixture) : IClassFixture<SingleShardFixture>
{
    private ShardProcess Shard => fixture.Shard;

    public static TheoryData<string> Cases => ["garbage", "oversized", "lz4-bomb", "reserved-flags", "packet-before-auth", "expired-token", "forged-token", "silent"];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_ends_that_connection_only(string kind)
    {
        var couple = ShardCluster.NewCouple("c-bad");
        var (bystander, _) = await ChatTestClient.ConnectAndAuthAsync(Shard.Direct, fixture.Cluster.Keys.Token("bob", couple), "phone");
        await using var _b = bystander;

        await using var victim = await ChatTestClient.ConnectAsync(Shard.Direct);
        var expected = await SendBadInputAsync(victim, kind, couple);
        var packets = await victim.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));
        if (expected is { } code)
        {
            var error = Assert.Single(packets, p => p.Kind == PacketKind.Error).Error!;
            Assert.Equal(code, error.Code);
        }

        Assert.DoesNotContain(packets, p => p.Kind == PacketKind.AuthOk);

        // The connection already open and a new one both keep working.
        var (fresh, _) = await ChatTestClient.ConnectAndAuthAsync(Shard.Direct, fixture.Cluster.Keys.Token("alice", couple), "phone");
        await using var _f = fresh;
        await fresh.SendAsync(new Send { ClientMsgId = "after-" + kind, Kind = MessageKind.Text, Body = [1, 2, 3] });
        var ack = (await fresh.NextAsync(PacketKind.Ack)).Ack!;
        Assert.Equal(ack.Seq, (await bystander.NextAsync(PacketKind.Message)).Message!.Seq);
    }

    private async Task<ErrorCode?> SendBadInputAsync(ChatTestClient victim, string kind, string couple)
    {
        switch (kind)
        {
            case "garbage":
                // Random bytes whose first four read as a length far above the 64 KiB limit.
                await victim.SendRawAsync(new byte[] { 0x47, 0x45, 0x54, 0x20, 0x2f, 0x20, 0x48, 0x54, 0x54, 0x50 });
                return ErrorCode.FrameTooLarge;
            case "oversized":
                var header = new byte[5];
                BinaryPrimitives.WriteUInt32BigEndian(header, 65537);
                await victim.SendRawAsync(header);
                return ErrorCode.FrameTooLarge;
            case "lz4-bomb":
                // A tiny compressed frame that declares 100 MB once decompressed.
                var bomb = new byte[5 + 4 + 8];
                BinaryPrimitives.WriteUInt32BigEndian(bomb, (uint)(bomb.Length - 4));
                bomb[4] = 0x01;
                BinaryPrimitives.WriteUInt32BigEndian(bomb.AsSpan(5), 100_000_000);
                bomb.AsSpan(9).Fill(0x1f);
                await victim.SendRawAsync(bomb);
                return ErrorCode.FrameTooLarge;
            case "reserved-flags":
                await victim.SendRawAsync(new byte[] { 0, 0, 0, 2, 0x80, 0 });
                return ErrorCode.ProtocolError;
            case "packet-before-auth":
                await victim.SendAsync(new Ping { Nonce = 1 });
                return ErrorCode.AuthRequired;
            case "expired-token":
                var expired = fixture.Cluster.Keys.Signer.Issue("alice", couple, DateTimeOffset.UtcNow.AddHours(-1));
                await victim.SendAsync(new Auth { Token = expired, DeviceId = "phone" });
                return ErrorCode.TokenExpired;
            case "forged-token":
                var token = fixture.Cluster.Keys.Token("alice", couple);
                var forged = token[..^2] + (token[^2] == 'A' ? "BB" : "AA");
                await victim.SendAsync(new Auth { Token = forged, DeviceId = "phone" });
                return ErrorCode.AuthFailed;
            default:
                // Says nothing: the 2 s auth deadline of the fixture closes it.
                return ErrorCode.AuthRequired;
        }
    }
}
