using Chat.Tests.Gateway.Support;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Chat.Gateway.Tls;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;

namespace Chat.Tests.Gateway.Tls;

/// <summary>A DotNetty server on 127.0.0.1:0 with the TLS engine's handler first and an echo handler behind it.</summary>
public sealed class TlsTestServer : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly MultithreadEventLoopGroup _boss = new(1);
    private readonly MultithreadEventLoopGroup _workers = new(2);
    private IChannel? _listener;

    private readonly Func<IChannelHandler>? _extra;

    private TlsTestServer(ITlsEngine engine, TestLog log, MeterRecorder meters, Func<IChannelHandler>? extra)
    {
        _extra = extra;
        Engine = engine;
        Log = log;
        Meters = meters;
    }

    public ITlsEngine Engine { get; }

    public TestLog Log { get; }

    public MeterRecorder Meters { get; }

    public int Port { get; private set; }

    public ConcurrentQueue<TlsHandshakeCompletedEvent> Handshakes { get; } = new();

    public ConcurrentQueue<IChannel> Channels { get; } = new();

    public static TlsOptions Options(TlsEngineKind engine, string certificatePath, string? keyPath = null) => new()
    {
        Engine = engine,
        CertificatePath = certificatePath,
        KeyPath = keyPath,
        CertificatePollInterval = TimeSpan.FromMilliseconds(200),
        CertificateReloadDelay = TimeSpan.FromMilliseconds(50),
    };

    /// <param name="extra">A handler put between the TLS handler and the echo handler, if any.</param>
    public static async Task<TlsTestServer> StartAsync(TlsOptions options, Func<IChannelHandler>? extra = null)
    {
        var log = new TestLog();
        var meters = new MeterRecorder();
        Assert.True(TlsEngines.TryCreate(options, log, meters, TimeProvider.System, out ITlsEngine? engine, out string? error), error);
        var server = new TlsTestServer(engine, log, meters, extra);
        await server.BindAsync();
        return server;
    }

    private async Task BindAsync()
    {
        var bootstrap = new ServerBootstrap()
            .Group(_boss, _workers)
            .Channel<TcpServerSocketChannel>()
            .Option(ChannelOption.SoBacklog, 1024)
            .ChildOption(ChannelOption.TcpNodelay, true)
            .ChildHandler(new ActionChannelInitializer<IChannel>(channel =>
            {
                Channels.Enqueue(channel);
                channel.Pipeline.AddLast("tls", Engine.CreateHandler());
                if (_extra is not null)
                {
                    channel.Pipeline.AddLast("extra", _extra());
                }

                channel.Pipeline.AddLast("echo", new EchoHandler(Handshakes));
            }));
        _listener = await bootstrap.BindAsync(new IPEndPoint(IPAddress.Loopback, 0)).WaitAsync(Timeout);
        Port = ((IPEndPoint)_listener.LocalAddress).Port;
    }

    /// <summary>Connects and finishes a TLS handshake; the certificate the server presented is returned with the stream.</summary>
    public Task<TestClient> ConnectAsync(SslProtocols protocol, CancellationToken cancellationToken) => ConnectAsync(protocol, null, cancellationToken);

    /// <summary>As above, with client options of the test's own (e.g. reused across connections for resumption).</summary>
    public async Task<TestClient> ConnectAsync(SslProtocols protocol, SslClientAuthenticationOptions? options, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
        X509Certificate2? seen = null;
        var wire = new RecordingStream(tcp.GetStream());
        var ssl = new SslStream(wire, leaveInnerStreamOpen: false);
        options ??= new SslClientAuthenticationOptions { TargetHost = "localhost" };
        options.EnabledSslProtocols = protocol;
        options.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            // Self-signed test certificates: the test checks the thumbprint itself.
            seen = certificate is null ? null : new X509Certificate2(certificate);
            return seen is not null;
        };
        await ssl.AuthenticateAsClientAsync(options, cancellationToken);
        return new TestClient(tcp, ssl, wire, seen?.GetCertHashString(HashAlgorithmName.SHA256));
    }

    /// <summary>Polls <paramref name="condition"/> every 20 ms until true or the timeout.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        DateTime end = DateTime.UtcNow + (timeout ?? Timeout);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < end, "timed out waiting until " + what);
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.CloseAsync().WaitAsync(Timeout);
        }

        foreach (IChannel channel in Channels)
        {
            await channel.CloseAsync().WaitAsync(Timeout).ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
        }

        await Task.WhenAll(
            _workers.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromMilliseconds(200)),
            _boss.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromMilliseconds(200))).WaitAsync(Timeout);
        Engine.Dispose();
        Meters.Dispose();
    }
}

/// <summary>One TLS client connection over a TcpClient.</summary>
public sealed class TestClient(TcpClient tcp, SslStream ssl, RecordingStream wire, string? serverThumbprint) : IDisposable
{
    /// <summary>The raw bytes the client received.</summary>
    public RecordingStream Wire { get; } = wire;

    public SslStream Ssl { get; } = ssl;

    public TcpClient Tcp { get; } = tcp;

    public string? ServerThumbprint { get; } = serverThumbprint;

    /// <summary>Writes <paramref name="data"/> and reads back exactly as many bytes.</summary>
    public async Task<byte[]> EchoAsync(byte[] data, CancellationToken cancellationToken)
    {
        await Ssl.WriteAsync(data, cancellationToken);
        await Ssl.FlushAsync(cancellationToken);
        var back = new byte[data.Length];
        await Ssl.ReadExactlyAsync(back, cancellationToken);
        return back;
    }

    public void Dispose()
    {
        Ssl.Dispose();
        Tcp.Dispose();
    }
}
