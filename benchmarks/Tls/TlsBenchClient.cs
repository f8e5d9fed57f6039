using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Chat.Benchmarks.Tls;

/// <summary>TLS clients for the figures: SslStream over a TcpClient, 100-byte echo.</summary>
internal sealed class TlsBenchClient : IDisposable
{
    private static readonly byte[] Frame = new byte[100];

    private readonly TcpClient _tcp;
    private readonly SslStream _ssl;

    private TlsBenchClient(TcpClient tcp, SslStream ssl)
    {
        _tcp = tcp;
        _ssl = ssl;
    }

    /// <summary>Connects, handshakes, sends one 100-byte frame and reads it back.</summary>
    /// <param name="source">Local address to connect from (127.0.0.x spreads the 4-tuples); null: any.</param>
    /// <param name="resume">Offer and keep session tickets (.NET caches them per target host).</param>
    public static async Task<TlsBenchClient> ConnectAndEchoAsync(int port, SslProtocols protocol, CancellationToken cancellationToken, IPAddress? source = null, bool resume = false)
    {
        var tcp = source is null ? new TcpClient { NoDelay = true } : new TcpClient(new IPEndPoint(source, 0)) { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost",
                    EnabledSslProtocols = protocol,
                    // A benchmark against its own throw-away certificate: nothing to verify.
                    RemoteCertificateValidationCallback = static (_, certificate, _, _) => certificate is not null,
                    // Full handshakes unless the figure is about resumption.
                    AllowTlsResume = resume,
                },
                cancellationToken);
            await ssl.WriteAsync(Frame, cancellationToken);
            var back = new byte[Frame.Length];
            await ssl.ReadExactlyAsync(back, cancellationToken);
            return new TlsBenchClient(tcp, ssl);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Sends close_notify (an OpenSSL-based client keeps its session only after a clean close), then closes.</summary>
    public async Task CloseAsync()
    {
        try
        {
            await _ssl.ShutdownAsync();
        }
        catch (IOException)
        {
            // The server may have closed first.
        }

        Dispose();
    }

    public void Dispose()
    {
        _ssl.Dispose();
        _tcp.Dispose();
    }
}
