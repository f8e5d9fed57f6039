using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Chat.Tests.Gateway.Tls;

/// <summary>Real ClientHellos (as .NET's client sends them) for the fuzz test to mutate: a listener that keeps the first flight and hangs up.</summary>
public static class ClientHelloCapture
{
    public static async Task<byte[]> CaptureAsync(SslProtocols protocol, CancellationToken cancellationToken)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, cancellationToken);
            using TcpClient accepted = await listener.AcceptTcpClientAsync(cancellationToken);
            using var ssl = new SslStream(tcp.GetStream());
            Task handshake = ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", EnabledSslProtocols = protocol }, cancellationToken);

            // The record header gives the length of the whole ClientHello record.
            var header = new byte[5];
            await accepted.GetStream().ReadExactlyAsync(header, cancellationToken);
            var hello = new byte[5 + ((header[3] << 8) | header[4])];
            header.CopyTo(hello, 0);
            await accepted.GetStream().ReadExactlyAsync(hello.AsMemory(5), cancellationToken);
            accepted.Close();
            await handshake.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
            return hello;
        }
        finally
        {
            listener.Stop();
        }
    }
}
