using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;

namespace Chat.Tests.Client.Support;

/// <summary>
/// A real TCP listener on 127.0.0.1 (port 0) that hands each accepted connection to the test, which
/// then plays the shard's part packet by packet (<see cref="ServerConnection"/>). Only for unit tests
/// of the client class: the protocol behaviour of the real shard is tested against the real shard.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2? _certificate;
    private readonly Channel<ServerConnection> _accepted = Channel.CreateUnbounded<ServerConnection>();
    private readonly List<ServerConnection> _all = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    public ScriptedServer(X509Certificate2? certificate = null)
    {
        _certificate = certificate;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>The client's endpoint string for this server.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Connections accepted so far.</summary>
    public int Accepted { get; private set; }

    /// <summary>The next accepted connection (TLS handshake done when the server has a certificate).</summary>
    public async Task<ServerConnection> AcceptAsync() => await _accepted.Reader.ReadAsync().AsTask().DefaultTimeout();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        List<ServerConnection> all;
        lock (_all)
        {
            all = [.. _all];
        }

        foreach (var connection in all)
        {
            await connection.DisposeAsync();
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            socket.NoDelay = true;
            Accepted++;
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (_certificate is not null)
            {
                var tls = new SslStream(stream);
                try
                {
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
                }
                catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
                {
                    // The client refused our certificate (the wrong-CA test): that connection is simply gone.
                    await tls.DisposeAsync();
                    continue;
                }

                stream = tls;
            }

            var connection = new ServerConnection(socket, stream);
            lock (_all)
            {
                _all.Add(connection);
            }

            await _accepted.Writer.WriteAsync(connection);
        }
    }
}
