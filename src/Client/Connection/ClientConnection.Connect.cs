using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Chat.Client.Connection;

/// <summary>Opening a connection: DNS, TCP (NoDelay), then TLS with the system roots or a pinned CA.</summary>
internal sealed partial class ClientConnection
{
    /// <summary>
    /// Connects to <paramref name="endpoint"/> within <see cref="ConnectSettings.ConnectTimeout"/>. The
    /// endpoint's addresses are tried from a random one on, with <paramref name="avoid"/> (the address
    /// the client was just sent away from) last, so "reconnect elsewhere" works with one DNS name too.
    /// </summary>
    public static async Task<ConnectOutcome> ConnectAsync(EndpointAddress endpoint, IPAddress? avoid, ConnectSettings settings, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(settings.ConnectTimeout, settings.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var token = linked.Token;

        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(endpoint.Host, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(endpoint.Host, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return Failed(DisconnectReason.ConnectFailed, $"DNS lookup of {endpoint.Host} failed: {ex.Message}", null, cancellationToken);
        }

        if (addresses.Length == 0)
        {
            return ConnectOutcome.Failed(DisconnectReason.ConnectFailed, $"DNS lookup of {endpoint.Host} returned no address");
        }

        var lastError = "no address";
        foreach (var address in Order(addresses, avoid, settings))
        {
            if (settings.LocalAddress is { } local && local.AddressFamily != address.AddressFamily)
            {
                lastError = $"{address} is not of the family of the local address {local}";
                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                if (settings.LocalAddress is { } source)
                {
                    BindSource(socket, source);
                }

                await socket.ConnectAsync(address, endpoint.Port, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                lastError = $"TCP connect to {address}:{endpoint.Port} failed: {ex.Message}";
                if (token.IsCancellationRequested)
                {
                    break;
                }

                continue;
            }

            return await HandshakeAsync(socket, endpoint, address, settings, cancellationToken, token).ConfigureAwait(false);
        }

        return Failed(DisconnectReason.ConnectFailed, lastError, null, cancellationToken);
    }

    private static async Task<ConnectOutcome> HandshakeAsync(Socket socket, EndpointAddress endpoint, IPAddress address, ConnectSettings settings, CancellationToken outer, CancellationToken token)
    {
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (!settings.UseTls)
        {
            return new ConnectOutcome(new ClientConnection(socket, stream, settings.Codec, endpoint, address), DisconnectReason.None, null, address);
        }

        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(TlsOptions(endpoint, settings), token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or SocketException or OperationCanceledException)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            var reason = ex is AuthenticationException ? DisconnectReason.TlsFailed : DisconnectReason.ConnectFailed;
            return Failed(reason, $"TLS handshake with {address}:{endpoint.Port} failed: {ex.Message}", address, outer);
        }

        return new ConnectOutcome(new ClientConnection(socket, tls, settings.Codec, endpoint, address), DisconnectReason.None, null, address);
    }

    internal static SslClientAuthenticationOptions TlsOptions(EndpointAddress endpoint, ConnectSettings settings)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = settings.TlsServerName ?? endpoint.Host,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            AllowTlsResume = settings.TlsResumption,
        };
        if (settings.PinnedCa is { } ca)
        {
            // Only this CA may anchor the server's chain; the system roots are not consulted. The
            // server name is still checked by SslStream against TargetHost.
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.Add(ca);
            options.CertificateChainPolicy = policy;
        }

        return options;
    }

    private static void BindSource(Socket socket, IPAddress source)
    {
        if (OperatingSystem.IsLinux())
        {
            // IP_BIND_ADDRESS_NO_PORT (SOL_IP 0, option 24): pick the port at connect time, per
            // destination, instead of reserving one for every destination at bind time; otherwise a
            // source address runs out of ports after one ephemeral range in total.
            socket.SetRawSocketOption(0, 24, BitConverter.GetBytes(1));
        }

        socket.Bind(new IPEndPoint(source, 0));
    }

    private static IEnumerable<IPAddress> Order(IPAddress[] addresses, IPAddress? avoid, ConnectSettings settings)
    {
        var start = addresses.Length > 1 ? settings.Jitter.Index(addresses.Length) : 0;
        IPAddress? avoided = null;
        for (var i = 0; i < addresses.Length; i++)
        {
            var address = addresses[(start + i) % addresses.Length];
            if (avoid is not null && address.Equals(avoid) && addresses.Length > 1)
            {
                avoided = address;
                continue;
            }

            yield return address;
        }

        if (avoided is not null)
        {
            yield return avoided;
        }
    }

    private static ConnectOutcome Failed(DisconnectReason reason, string detail, IPAddress? address, CancellationToken outer)
    {
        outer.ThrowIfCancellationRequested();
        return ConnectOutcome.Failed(reason, detail, address);
    }
}
