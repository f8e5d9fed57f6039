using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Chat.Client;
using Chat.Protocol.Packets;
using Chat.Tests.Functional.Client;
using Chat.Tests.Functional.Support;
using Xunit.Abstractions;

namespace Chat.Tests.Functional.Gateway;

/// <summary>
/// Hostile or broken input at the TLS edge of a real gateway process ends only that connection: a
/// couple chatting through the same gateway with the SDK keeps chatting, without a reconnect.
/// </summary>
public sealed class EdgeBadInputTests(EdgeFixture fixture, ITestOutputHelper output) : IClassFixture<EdgeFixture>
{
    private const string TlsHandshakes = "chat_gateway_tls_chat_gateway_tls_handshakes";
    private static readonly TimeSpan CloseWithin = TimeSpan.FromSeconds(10);

    private GatewayCluster Cluster => fixture.Cluster;

    public static TheoryData<string> TransportCases => ["garbage-instead-of-tls", "silent-handshake", "stalled-client-hello"];

    public static TheoryData<string> FrameCases => ["non-auth-first-frame", "forged-token", "expired-token", "oversized-first-frame", "oversized-frame-after-auth"];

    [Theory]
    [MemberData(nameof(TransportCases))]
    public async Task Bad_bytes_before_TLS_close_only_that_connection(string kind)
    {
        var couple = ShardCluster.NewCouple("c-edge");
        await using var bystanders = await ChattingCoupleAsync(couple);

        var timedOutBefore = await GatewayAdmin.MetricAsync(fixture.Gateway.Admin, TlsHandshakes, "outcome=\"timed_out\"");
        using var victim = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await victim.ConnectAsync(fixture.Gateway.Clients).WaitAsync(CloseWithin);
        var clock = Stopwatch.StartNew();
        switch (kind)
        {
            case "garbage-instead-of-tls":
                await victim.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"));
                break;
            case "stalled-client-hello":
                // A TLS handshake record header announcing 512 bytes, then only a few of them.
                await victim.SendAsync(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03 });
                break;
            default:
                // Connects and says nothing.
                break;
        }

        var received = await ReadUntilClosedAsync(victim);
        output.WriteLine($"{kind}: closed after {clock.ElapsedMilliseconds} ms, {received} bytes received");
        Assert.Equal(0, received);
        if (kind != "garbage-instead-of-tls")
        {
            // Closed by the 1 s handshake deadline, not by anything slower (auth or idle timeout).
            var timedOut = await GatewayAdmin.WaitForMetricAboveAsync(fixture.Gateway.Admin, TlsHandshakes, "outcome=\"timed_out\"", timedOutBefore, CloseWithin);
            Assert.True(timedOut > timedOutBefore, $"timed-out handshakes {timedOutBefore} -> {timedOut}");
        }

        await bystanders.ChatAsync("after " + kind);
    }

    [Theory]
    [MemberData(nameof(FrameCases))]
    public async Task Bad_frames_inside_TLS_get_their_error_and_close_only_that_connection(string kind)
    {
        var couple = ShardCluster.NewCouple("c-edge");
        await using var bystanders = await ChattingCoupleAsync(couple);

        await using var victim = await ChatTestClient.ConnectTlsAsync(fixture.Gateway.Clients, Cluster.Certificate.Ca);
        var expected = await SendBadInputAsync(victim, kind, couple);
        var packets = await victim.ReadUntilClosedAsync(CloseWithin);

        var error = Assert.Single(packets, p => p.Kind == PacketKind.Error).Error!;
        Assert.Equal(expected, error.Code);
        Assert.Null(victim.BadServerFrame);
        await bystanders.ChatAsync("after " + kind);
    }

    private async Task<ErrorCode> SendBadInputAsync(ChatTestClient victim, string kind, string couple)
    {
        var oversized = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(oversized, 64 * 1024 + 1);
        switch (kind)
        {
            case "non-auth-first-frame":
                await victim.SendAsync(new Ping { Nonce = 7 });
                return ErrorCode.AuthRequired;
            case "forged-token":
                var token = Cluster.Keys.Token("alice", couple);
                await victim.SendAsync(new Auth { Token = token[..^2] + (token[^2] == 'A' ? "BB" : "AA"), DeviceId = "tablet" });
                return ErrorCode.AuthFailed;
            case "expired-token":
                var expired = Cluster.Keys.Signer.Issue("alice", couple, DateTimeOffset.UtcNow.AddHours(-1));
                await victim.SendAsync(new Auth { Token = expired, DeviceId = "tablet" });
                return ErrorCode.TokenExpired;
            case "oversized-first-frame":
                await victim.SendRawAsync(oversized);
                return ErrorCode.FrameTooLarge;
            default:
                // Authenticated and relayed first: the gateway's frame slicer, not the router, catches it.
                await victim.SendAsync(new Auth { Token = Cluster.Keys.Token("alice", couple), DeviceId = "tablet" });
                Assert.Equal(PacketKind.AuthOk, (await victim.ReceiveAsync(CloseWithin))?.Kind);
                await victim.SendRawAsync(oversized);
                return ErrorCode.FrameTooLarge;
        }
    }

    private static async Task<int> ReadUntilClosedAsync(Socket socket)
    {
        var buffer = new byte[4096];
        var total = 0;
        using var timeout = new CancellationTokenSource(CloseWithin);
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) is var read and > 0)
            {
                total += read;
            }
        }
        catch (SocketException)
        {
            // Reset by the gateway: closed too.
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the gateway did not close the connection within {CloseWithin}");
        }

        return total;
    }

    private async Task<Bystanders> ChattingCoupleAsync(string couple)
    {
        var alice = await ClientFactory.ConnectedAsync(new ChatClient(Cluster.ClientOptions("alice", couple, "phone", fixture.Gateway.Clients)));
        var bob = await ClientFactory.ConnectedAsync(new ChatClient(Cluster.ClientOptions("bob", couple, "phone", fixture.Gateway.Clients)));
        var bystanders = new Bystanders(alice, bob, new MessageLog(bob));
        await bystanders.ChatAsync("before");
        return bystanders;
    }

    /// <summary>A couple on the same gateway as the bad input; it must neither notice nor reconnect.</summary>
    private sealed record Bystanders(ChatClient Alice, ChatClient Bob, MessageLog AtBob) : IAsyncDisposable
    {
        public async Task ChatAsync(string text)
        {
            var sent = await Alice.SendAsync(MessageKind.Text, Encoding.UTF8.GetBytes(text)).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(SendStatus.Sent, sent.Status);
            await AtBob.WaitForAsync((int)sent.Seq);
            Assert.Equal(text, AtBob.Messages[^1].BodyText);
            Assert.Equal(0, Alice.Counters.Reconnects + Bob.Counters.Reconnects);
        }

        public async ValueTask DisposeAsync()
        {
            await Alice.DisposeAsync();
            await Bob.DisposeAsync();
        }
    }
}
