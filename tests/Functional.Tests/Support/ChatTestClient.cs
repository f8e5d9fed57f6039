using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Chat.Protocol.Framing;
using Chat.Protocol.Packets;

namespace Chat.Tests.Functional.Support;

/// <summary>
/// A tiny chat client for tests: one TCP socket (plain, or TLS to a gateway), the protocol's codec,
/// a background reader that queues every packet received. <see cref="ReceiveAsync"/> returns null
/// once the server closed.
/// </summary>
internal sealed class ChatTestClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly Channel<ClientPacket?> _received = Channel.CreateUnbounded<ClientPacket?>();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly List<ClientPacket> _stash = [];
    private readonly Task _reader;
    private readonly CancellationTokenSource _stop = new();
    private int _disposed;

    private ChatTestClient(Socket socket, Stream stream)
    {
        _socket = socket;
        _stream = stream;
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <summary>The frame status of the first undecodable frame the server sent, if any (a bug).</summary>
    public FrameStatus? BadServerFrame { get; private set; }

    public static async Task<ChatTestClient> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.ConnectAsync(endPoint, timeout.Token);
        return new ChatTestClient(socket, new NetworkStream(socket, ownsSocket: false));
    }

    /// <summary>Connects over TLS (server name localhost), trusting only <paramref name="ca"/>.</summary>
    public static async Task<ChatTestClient> ConnectTlsAsync(IPEndPoint endPoint, X509Certificate2 ca)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        try
        {
            await socket.ConnectAsync(endPoint, timeout.Token);
            var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
            await tls.AuthenticateAsClientAsync(TlsOptions(ca), timeout.Token);
            return new ChatTestClient(socket, tls);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Client TLS options for the test certificate: name localhost, chain ending at <paramref name="ca"/> only.</summary>
    public static SslClientAuthenticationOptions TlsOptions(X509Certificate2 ca) => new()
    {
        TargetHost = "localhost",
        CertificateChainPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            CustomTrustStore = { ca },
            RevocationMode = X509RevocationMode.NoCheck,
        },
    };

    /// <summary>Connects and authenticates; returns AuthOk (fails the test on anything else).</summary>
    public static async Task<(ChatTestClient Client, AuthOk AuthOk)> ConnectAndAuthAsync(IPEndPoint endPoint, string token, string deviceId, long lastSeq = 0)
    {
        var client = await ConnectAsync(endPoint);
        await client.SendAsync(new Auth { Token = token, DeviceId = deviceId, LastSeq = lastSeq });
        var reply = await client.ReceiveAsync();
        if (reply?.Kind != PacketKind.AuthOk)
        {
            await client.DisposeAsync();
            throw new InvalidOperationException($"expected AuthOk, got {Describe(reply)}");
        }

        return (client, reply.AuthOk!);
    }

    public static string Describe(ClientPacket? packet) => packet switch
    {
        null => "(closed)",
        { Kind: PacketKind.Error } => $"Error{{{packet.Error!.Code}, {packet.Error.Text}}}",
        _ => packet.Kind.ToString(),
    };

    public async Task SendAsync(ClientPacket packet)
    {
        var buffer = new ArrayBufferWriter<byte>();
        if (PacketCodec.Default.Write(packet, buffer) != FrameStatus.Ok)
        {
            throw new InvalidOperationException("packet too large");
        }

        await SendRawAsync(buffer.WrittenMemory);
    }

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes)
    {
        await _writeLock.WaitAsync();
        try
        {
            using var timeout = new CancellationTokenSource(DefaultTimeout);
            await _stream.WriteAsync(bytes, timeout.Token);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The next packet, or null when the server closed the connection.</summary>
    public async Task<ClientPacket?> ReceiveAsync(TimeSpan? timeout = null)
    {
        if (_stash.Count > 0)
        {
            var first = _stash[0];
            _stash.RemoveAt(0);
            return first;
        }

        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            return await _received.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no packet within {timeout ?? DefaultTimeout}");
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>
    /// The next packet of <paramref name="kind"/>. Packets of other kinds received meanwhile are kept
    /// (later calls and <see cref="ReceiveAsync"/> return them first) and also listed in <paramref name="skipped"/>.
    /// </summary>
    public async Task<ClientPacket> NextAsync(PacketKind kind, TimeSpan? timeout = null, List<ClientPacket>? skipped = null)
    {
        var index = _stash.FindIndex(p => p.Kind == kind);
        if (index >= 0)
        {
            var stashed = _stash[index];
            _stash.RemoveAt(index);
            return stashed;
        }

        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            ClientPacket? packet;
            try
            {
                packet = await _received.Reader.ReadAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no {kind} within {timeout ?? DefaultTimeout}; got meanwhile: {string.Join(", ", _stash.Select(Describe))}");
            }
            catch (ChannelClosedException)
            {
                throw new InvalidOperationException($"closed while waiting for {kind}; got meanwhile: {string.Join(", ", _stash.Select(Describe))}");
            }

            if (packet!.Kind == kind)
            {
                return packet;
            }

            _stash.Add(packet);
            skipped?.Add(packet);
        }
    }

    /// <summary>Reads until the server closes; returns what came before (e.g. the Error).</summary>
    public async Task<List<ClientPacket>> ReadUntilClosedAsync(TimeSpan? timeout = null)
    {
        var packets = new List<ClientPacket>();
        while (await ReceiveAsync(timeout) is { } packet)
        {
            packets.Add(packet);
        }

        return packets;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        _socket.Dispose();
        await _stream.DisposeAsync();
        try
        {
            await _reader.WaitAsync(DefaultTimeout);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // The reader ends with the socket.
        }

        _stop.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var filled = 0;
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var read = await _stream.ReadAsync(buffer.AsMemory(filled), _stop.Token);
                if (read == 0)
                {
                    break;
                }

                filled += read;
                var sequence = new ReadOnlySequence<byte>(buffer, 0, filled);
                while (true)
                {
                    var status = PacketCodec.Default.TryRead(ref sequence, out var packet);
                    if (status == FrameStatus.NeedMoreData)
                    {
                        break;
                    }

                    if (status != FrameStatus.Ok)
                    {
                        BadServerFrame ??= status;
                        if (status.ClosesConnection())
                        {
                            return;
                        }

                        continue;
                    }

                    _received.Writer.TryWrite(packet);
                }

                var consumed = filled - (int)sequence.Length;
                Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
                filled -= consumed;
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Reset by the server, or disposed: the connection is over either way.
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }
}
