using System.Text;
using Chat.Protocol.Packets;
using Chat.Protocol.Security;
using Chat.Tests.Gateway.Support;

namespace Chat.Tests.Gateway.Routing;

/// <summary>Bad input at the edge closes that one connection with a typed error; others go on.</summary>
public sealed class EdgeInputTests
{
    [Fact]
    public async Task Each_kind_of_bad_input_gets_its_error_and_a_close_while_a_good_client_keeps_chatting()
    {
        await using var gateway = await RelayHarness.StartAsync(limits: o => o.AuthTimeout = TimeSpan.FromMilliseconds(500));
        await using var good = await gateway.ConnectAsync("c-good");
        var forged = new TokenSigner(new KeyRing([SecretKey.Generate("k1")])).Issue("u1", "c1", TimeSpan.FromHours(1));
        var expired = gateway.Signer.Issue("u1", "c1", DateTimeOffset.UtcNow.AddHours(-1));

        await AssertRejectedAsync(gateway, Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), ErrorCode.FrameTooLarge);
        await AssertRejectedAsync(gateway, TestFrames.Packet(new Ping { Nonce = 1 }), ErrorCode.AuthRequired);
        await AssertRejectedAsync(gateway, TestFrames.Auth(forged), ErrorCode.AuthFailed);
        await AssertRejectedAsync(gateway, TestFrames.Auth("not a token"), ErrorCode.AuthFailed);
        await AssertRejectedAsync(gateway, TestFrames.Auth(expired), ErrorCode.TokenExpired);
        await AssertRejectedAsync(gateway, [0, 0, 0, 0], ErrorCode.ProtocolError);
        await AssertRejectedAsync(gateway, [0, 0, 0], ErrorCode.AuthRequired); // stalls: the deadline answers

        // Oversized frame after a valid Auth: FrameTooLarge, close.
        await using (var oversized = await gateway.ConnectAsync("c-big"))
        {
            await oversized.SendAsync([0, 1, 0, 2, 0]);
            Assert.Equal(ErrorCode.FrameTooLarge, TestFrames.Decode((await oversized.ReadFrameAsync())!)?.Error?.Code);
            Assert.True(await oversized.ClosedWithinAsync(TimeSpan.FromSeconds(5)));
        }

        await good.SendAsync(TestFrames.Numbered(3, 10));
        Assert.Equal(3, TestFrames.NumberOf((await good.ReadFrameAsync())!));
        await Eventually.TrueAsync(() => gateway.Clients.Count == 1, "only the good client is left");
    }

    private static async Task AssertRejectedAsync(RelayHarness gateway, byte[] input, ErrorCode expected)
    {
        await using var client = await TestClient.ConnectAsync(gateway.EndPoint);
        await client.SendAsync(input);
        var frame = await client.ReadFrameAsync();
        Assert.NotNull(frame);
        Assert.Equal(expected, TestFrames.Decode(frame)?.Error?.Code);
        Assert.True(await client.ClosedWithinAsync(TimeSpan.FromSeconds(5)), $"closed after {expected}");
    }
}
