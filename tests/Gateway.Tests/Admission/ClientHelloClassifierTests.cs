using System.Net.Security;
using System.Security.Authentication;
using Chat.Gateway.Admission;
using FsCheck;
using FsCheck.Fluent;

namespace Chat.Tests.Gateway.Admission;

public sealed class ClientHelloClassifierTests
{
    [Fact]
    public void A_TLS13_hello_without_a_pre_shared_key_is_full_even_with_its_compatibility_session_id()
    {
        var hello = new ClientHelloBuilder().SessionId(32).ServerName().OffersTls13().Build();
        Assert.Equal(ClientHelloClass.Full, ClientHelloClassifier.Classify(hello));
    }

    [Fact]
    public void A_pre_shared_key_offers_resumption()
    {
        var hello = new ClientHelloBuilder().SessionId(32).ServerName().OffersTls13().PreSharedKey().Build();
        Assert.Equal(ClientHelloClass.Resumption, ClientHelloClassifier.Classify(hello));
    }

    [Fact]
    public void A_TLS12_ticket_offers_resumption_an_empty_ticket_extension_does_not()
    {
        Assert.Equal(ClientHelloClass.Resumption, ClientHelloClassifier.Classify(new ClientHelloBuilder().SessionTicket(120).Build()));
        Assert.Equal(ClientHelloClass.Full, ClientHelloClassifier.Classify(new ClientHelloBuilder().SessionTicket(0).Build()));
    }

    [Fact]
    public void A_session_id_from_a_client_without_TLS13_offers_resumption()
    {
        Assert.Equal(ClientHelloClass.Resumption, ClientHelloClassifier.Classify(new ClientHelloBuilder().SessionId(32).ServerName().Build()));
        Assert.Equal(ClientHelloClass.Resumption, ClientHelloClassifier.Classify(new ClientHelloBuilder().SessionId(16).Build()));
        Assert.Equal(ClientHelloClass.Full, ClientHelloClassifier.Classify(new ClientHelloBuilder().Build()));
    }

    [Fact]
    public void Every_prefix_of_a_hello_is_incomplete()
    {
        var hello = new ClientHelloBuilder().SessionId(32).OffersTls13().PreSharedKey().Build();
        for (var length = 0; length < hello.Length; length++)
        {
            Assert.Equal(ClientHelloClass.Incomplete, ClientHelloClassifier.Classify(hello.AsSpan(0, length)));
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0x00, 0x00 })] // empty record
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0x50, 0x00 })] // longer than 2^14
    [InlineData(new byte[] { 0x17, 0x03, 0x03, 0x00, 0x01, 0x00 })] // application data
    [InlineData(new byte[] { (byte)'G', (byte)'E', (byte)'T', (byte)' ' })] // HTTP
    [InlineData(new byte[] { 0x16, 0x02 })] // SSL 2 style version
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00 })] // a ServerHello
    public void What_is_not_a_client_hello_is_said_so_early(byte[] data) =>
        Assert.Equal(ClientHelloClass.NotAClientHello, ClientHelloClassifier.Classify(data));

    [Fact]
    public async Task A_real_dotnet_client_hello_is_read_as_full()
    {
        var hello = await CaptureClientHelloAsync(SslProtocols.Tls13 | SslProtocols.Tls12);
        Assert.Equal(ClientHelloClass.Full, ClientHelloClassifier.Classify(hello));
        var tls12 = await CaptureClientHelloAsync(SslProtocols.Tls12);
        Assert.Equal(ClientHelloClass.Full, ClientHelloClassifier.Classify(tls12));
    }

    [FsCheck.Xunit.Property(MaxTest = 2000)]
    public bool Arbitrary_bytes_never_throw(byte[] data)
    {
        _ = ClientHelloClassifier.Classify(data ?? []);
        return true;
    }

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public Property A_mangled_hello_never_throws(byte[] noise, PositiveInt at)
    {
        var hello = new ClientHelloBuilder().SessionId(32).OffersTls13().PreSharedKey().Build();
        var mangled = hello.ToArray();
        foreach (var (b, i) in (noise ?? []).Select((b, i) => (b, i)))
        {
            mangled[(at.Get + i) % mangled.Length] = b;
        }

        var kind = ClientHelloClassifier.Classify(mangled);
        return Enum.IsDefined(kind).ToProperty();
    }

    /// <summary>The first bytes a .NET SslStream client sends: its ClientHello.</summary>
    private static async Task<byte[]> CaptureClientHelloAsync(SslProtocols protocols)
    {
        var capture = new CapturingStream();
        await using var ssl = new SslStream(capture);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var handshake = ssl.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions { TargetHost = "gateway.example", EnabledSslProtocols = protocols }, stop.Token);
        var hello = await capture.FirstWrite.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => handshake);
        return hello;
    }

    private sealed class CapturingStream : Stream
    {
        public TaskCompletionSource<byte[]> FirstWrite { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            // No server: the handshake waits here until the test cancels it.
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override void Write(byte[] buffer, int offset, int count) => FirstWrite.TrySetResult(buffer.AsSpan(offset, count).ToArray());

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            FirstWrite.TrySetResult(buffer.ToArray());
            return ValueTask.CompletedTask;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
