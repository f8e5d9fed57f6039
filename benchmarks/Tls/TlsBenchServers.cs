using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Chat.Gateway.Tls;
using DotNetty.Buffers;
using DotNetty.Handlers.Tls;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chat.Benchmarks.Tls;

/// <summary>
/// The server side of the TLS figures, run in a child process so its memory and CPU are its own:
/// "openssl" (DotNetty + the gateway's OpenSsl engine; TICKET_KEY_FILE in the environment shares
/// ticket keys between two of them), "own" (DotNetty + the gateway's SslStream engine),
/// "sslstream" (plain SslStream over a Socket, zero-byte reads), "stock" (DotNetty's own
/// TlsHandler) and "plain-echo" (no TLS: HAProxy's backend). Each echoes what it reads. Prints
/// "PORT n", then answers "measure" on stdin with "MEM heapBytes rssBytes" and "stats" with
/// "STATS full resumed" (handshakes seen by the gateway engines); ends on "quit".
/// </summary>
internal static class TlsBenchServers
{
    public static async Task<int> RunAsync(string kind, string certificateDirectory)
    {
        var certificate = BenchCertificate.Existing(certificateDirectory);
        await using IAsyncDisposable server = kind switch
        {
            "openssl" => await StartDotNettyAsync(OwnHandlerFactory(certificate, TlsEngineKind.OpenSsl)),
            "own" => await StartDotNettyAsync(OwnHandlerFactory(certificate, TlsEngineKind.SslStream)),
            "plain-echo" => await StartDotNettyAsync(null),
            "stock" => await StartDotNettyAsync(StockHandlerFactory(certificate)),
            "sslstream" => PlainSslStreamServer.Start(certificate),
            _ => throw new ArgumentException("server kind: openssl, own, sslstream, stock or plain-echo", nameof(kind)),
        };
        Console.WriteLine("PORT " + ((IPortOwner)server).Port);
        while (Console.ReadLine() is { } command && command != "quit")
        {
            if (command == "measure")
            {
                for (int i = 0; i < 3; i++)
                {
                    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                    GC.WaitForPendingFinalizers();
                }

                Console.WriteLine($"MEM {GC.GetTotalMemory(false)} {ReadRssBytes()}");
            }
            else if (command == "stats")
            {
                Console.WriteLine($"STATS {Interlocked.Read(ref _fullHandshakes)} {Interlocked.Read(ref _resumedHandshakes)}");
            }
        }

        return 0;
    }

    public static long ReadRssBytes()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    private static long _fullHandshakes;
    private static long _resumedHandshakes;

    private static Func<IChannelHandler> OwnHandlerFactory(BenchCertificate certificate, TlsEngineKind kind)
    {
        var options = new TlsOptions
        {
            Engine = kind,
            CertificatePath = certificate.CertificatePath,
            KeyPath = certificate.KeyPath,
            WatchCertificateFiles = false,
            TicketKeyFile = Environment.GetEnvironmentVariable("TICKET_KEY_FILE"),
        };
        if (!TlsEngines.TryCreate(options, NullLoggerFactory.Instance, null, null, out ITlsEngine? engine, out string? error))
        {
            throw new InvalidOperationException(error);
        }

        return engine.CreateHandler;
    }

    private static Func<IChannelHandler> StockHandlerFactory(BenchCertificate certificate)
    {
        X509Certificate2 cert = certificate.Load();
        return () => new TlsHandler(new ServerTlsSettings(cert, false, false, SslProtocols.Tls12 | SslProtocols.Tls13));
    }

    private static async Task<IAsyncDisposable> StartDotNettyAsync(Func<IChannelHandler>? tls)
    {
        // One worker thread: the figures are per server thread. TLS_BENCH_ONE_LOOP=1 accepts on that
        // same loop (no cross-thread hand-off per connection: ~3-4% less CPU per handshake here).
        var boss = new MultithreadEventLoopGroup(1);
        var workers = new MultithreadEventLoopGroup(1);
        var bootstrap = new ServerBootstrap()
            .Group(Environment.GetEnvironmentVariable("TLS_BENCH_ONE_LOOP") == "1" ? workers : boss, workers)
            .Channel<TcpServerSocketChannel>()
            .Option(ChannelOption.SoBacklog, 4096)
            .ChildOption(ChannelOption.TcpNodelay, true)
            .ChildHandler(new ActionChannelInitializer<IChannel>(channel =>
            {
                if (tls is not null)
                {
                    channel.Pipeline.AddLast("tls", tls());
                }

                channel.Pipeline.AddLast("echo", new BenchEchoHandler());
            }));
        IChannel listener = await bootstrap.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        return new DotNettyServer(listener, boss, workers);
    }

    private interface IPortOwner
    {
        int Port { get; }
    }

    private sealed class DotNettyServer(IChannel listener, IEventLoopGroup boss, IEventLoopGroup workers) : IAsyncDisposable, IPortOwner
    {
        public int Port => ((IPEndPoint)listener.LocalAddress).Port;

        public async ValueTask DisposeAsync()
        {
            await listener.CloseAsync();
            await Task.WhenAll(workers.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromMilliseconds(200)), boss.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromMilliseconds(200)));
        }
    }

    private sealed class BenchEchoHandler : ChannelHandlerAdapter
    {
        public override void ChannelRead(IChannelHandlerContext context, object message) => _ = context.WriteAsync(message);

        public override void ChannelReadComplete(IChannelHandlerContext context) => context.Flush();

        public override void ExceptionCaught(IChannelHandlerContext context, Exception exception) => _ = context.CloseAsync();

        public override void UserEventTriggered(IChannelHandlerContext context, object evt)
        {
            if (evt is TlsHandshakeCompletedEvent { IsSuccess: true } done)
            {
                Interlocked.Increment(ref done.Resumed == true ? ref _resumedHandshakes : ref _fullHandshakes);
            }

            context.FireUserEventTriggered(evt);
        }
    }

    /// <summary>The anchor: SslStream over a Socket, cached options, zero-byte reads, a pooled buffer only while data flows.</summary>
    private sealed class PlainSslStreamServer : IAsyncDisposable, IPortOwner
    {
        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly SslServerAuthenticationOptions _options;
        private readonly CancellationTokenSource _stop = new();

        private PlainSslStreamServer(BenchCertificate certificate)
        {
            X509Certificate2 cert = certificate.Load();
            _options = new SslServerAuthenticationOptions
            {
                ServerCertificateContext = SslStreamCertificateContext.Create(cert, null, offline: true),
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            };
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(4096);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

        public static PlainSslStreamServer Start(BenchCertificate certificate)
        {
            var server = new PlainSslStreamServer(certificate);
            _ = server.AcceptAsync();
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                socket.NoDelay = true;
                _ = ServeAsync(socket);
            }
        }

        private async Task ServeAsync(Socket socket)
        {
            using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
            try
            {
                await ssl.AuthenticateAsServerAsync(_options);
                while (true)
                {
                    _ = await ssl.ReadAsync(Memory<byte>.Empty);
                    byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
                    try
                    {
                        int n = await ssl.ReadAsync(buffer);
                        if (n == 0)
                        {
                            return;
                        }

                        await ssl.WriteAsync(buffer.AsMemory(0, n));
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
            }
            catch (Exception e) when (e is IOException or AuthenticationException or ObjectDisposedException)
            {
                // The client went away: the benchmark closes connections without close_notify.
                Debug.WriteLine(e.Message);
            }
        }
    }
}
