using System.Security.Authentication;
using System.Text;
using Chat.Gateway.Tls;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;

namespace Chat.Tests.Gateway.Tls;

[Collection("Tls")]
public sealed class TlsEarlyWriteTests
{
    [Theory]
    [InlineData(TlsEngineKind.SslStream)]
    [InlineData(TlsEngineKind.OpenSsl)]
    public async Task Writes_before_the_handshake_are_held_sent_after_it_and_bounded(TlsEngineKind engine)
    {
        using var certificates = new TestCertificates();
        certificates.WriteSeparate(TestKeyKind.EcdsaP256);
        using var cts = new CancellationTokenSource(TlsTestServer.Timeout);
        var greeter = new GreetingHandler();
        await using (TlsTestServer server = await TlsTestServer.StartAsync(TlsTestServer.Options(engine, certificates.CertificatePath, certificates.KeyPath), () => greeter))
        {
            using TestClient client = await server.ConnectAsync(SslProtocols.Tls13, cts.Token);
            var greeting = new byte[GreetingHandler.Greeting.Length];
            await client.Ssl.ReadExactlyAsync(greeting, cts.Token);
            Assert.Equal(GreetingHandler.Greeting, Encoding.ASCII.GetString(greeting));

            Exception? tooMuch = await greeter.TooMuch!.ContinueWith(t => t.Exception?.GetBaseException(), TaskScheduler.Default).WaitAsync(cts.Token);
            Assert.IsType<InvalidOperationException>(tooMuch);
            Assert.Equal("after"u8.ToArray(), await client.EchoAsync("after"u8.ToArray(), cts.Token));
            server.Log.AssertNoErrors();
        }

        TestHygiene.AssertClean();
    }

    /// <summary>Writes a greeting as soon as the connection is active, before TLS is up, and then more than the TLS handler holds.</summary>
    private sealed class GreetingHandler : ChannelHandlerAdapter
    {
        public const string Greeting = "hello before the handshake";

        public Task? TooMuch { get; private set; }

        public override bool IsSharable => true;

        public override void ChannelActive(IChannelHandlerContext context)
        {
            _ = context.WriteAndFlushAsync(Unpooled.WrappedBuffer(Encoding.ASCII.GetBytes(Greeting)));
            TooMuch = context.WriteAsync(context.Allocator.Buffer(2 * 1024 * 1024).SetWriterIndex(2 * 1024 * 1024));
            context.FireChannelActive();
        }
    }
}
