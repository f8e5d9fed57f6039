using System.Buffers.Binary;

namespace Chat.Gateway.Tls;

/// <summary>
/// Tells a resumed handshake from a full one by reading the server's own first flight, because
/// SslStream has no API for it. The part needed is plaintext in both versions:
/// TLS 1.3 (RFC 8446 4.1.3): the ServerHello carries a pre_shared_key extension exactly when a
/// session is resumed. TLS 1.2 (RFC 5246 7.3): after the ServerHello a full handshake sends
/// Certificate (or ServerKeyExchange), an abbreviated one NewSessionTicket or ChangeCipherSpec.
/// Only the server's output is parsed (well-formed by construction); anything unexpected ends
/// the inspection with an unknown result rather than a guess. Lives only during the handshake.
/// </summary>
internal sealed class ServerHelloInspector
{
    private const byte RecordChangeCipherSpec = 20;
    private const byte RecordHandshake = 22;
    private const byte MessageServerHello = 2;
    private const byte MessageNewSessionTicket = 4;
    private const ushort ExtensionPreSharedKey = 41;
    private const ushort ExtensionSupportedVersions = 43;
    private const ushort VersionTls13 = 0x0304;

    /// <summary>A ServerHello is ~100-200 bytes; larger means something this parser does not know.</summary>
    private const int MaxServerHelloBytes = 4096;

    /// <summary>SHA-256("HelloRetryRequest"): the random of a HelloRetryRequest, which is followed by the real ServerHello.</summary>
    private static readonly byte[] HelloRetryRandom = Convert.FromHexString("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

    private readonly byte[] _recordHeader = new byte[5];
    private readonly byte[] _messageHeader = new byte[4];
    private int _recordHeaderFill;
    private int _recordRemaining;
    private int _messageHeaderFill;
    private byte[]? _serverHello;
    private int _serverHelloFill;
    private bool _sawTls12ServerHello;

    /// <summary>True once the result is known or cannot be known; later input is ignored.</summary>
    public bool IsDone { get; private set; }

    /// <summary>Whether the session was resumed; null while unknown.</summary>
    public bool? Resumed { get; private set; }

    /// <summary>Feeds bytes the server writes to the socket, in order.</summary>
    public void Observe(ReadOnlySpan<byte> data)
    {
        while (!IsDone && !data.IsEmpty)
        {
            if (_recordRemaining == 0)
            {
                int take = Math.Min(_recordHeader.Length - _recordHeaderFill, data.Length);
                data[..take].CopyTo(_recordHeader.AsSpan(_recordHeaderFill));
                _recordHeaderFill += take;
                data = data[take..];
                if (_recordHeaderFill == _recordHeader.Length)
                {
                    _recordHeaderFill = 0;
                    StartRecord(_recordHeader[0], BinaryPrimitives.ReadUInt16BigEndian(_recordHeader.AsSpan(3)));
                }
            }
            else
            {
                int take = Math.Min(_recordRemaining, data.Length);
                _recordRemaining -= take;
                ObserveHandshake(data[..take]);
                data = data[take..];
            }
        }
    }

    private void StartRecord(byte type, int length)
    {
        if (type == RecordChangeCipherSpec)
        {
            // TLS 1.2: CCS right after the ServerHello is the abbreviated (resumed) handshake. Before
            // any ServerHello it is TLS 1.3 middlebox-compatibility noise after a HelloRetryRequest.
            if (_sawTls12ServerHello)
            {
                Finish(resumed: true);
            }

            _recordRemaining = length;
            return;
        }

        if (type != RecordHandshake)
        {
            Finish(resumed: null);
            return;
        }

        _recordRemaining = length;
    }

    private void ObserveHandshake(ReadOnlySpan<byte> data)
    {
        if (_recordHeader[0] != RecordHandshake)
        {
            return;
        }

        while (!IsDone && !data.IsEmpty)
        {
            if (_messageHeaderFill < _messageHeader.Length)
            {
                int take = Math.Min(_messageHeader.Length - _messageHeaderFill, data.Length);
                data[..take].CopyTo(_messageHeader.AsSpan(_messageHeaderFill));
                _messageHeaderFill += take;
                data = data[take..];
                if (_messageHeaderFill == _messageHeader.Length)
                {
                    StartMessage();
                }

                continue;
            }

            // Only ServerHello bodies are collected; StartMessage finished on anything else.
            int need = _serverHello!.Length - _serverHelloFill;
            int n = Math.Min(need, data.Length);
            data[..n].CopyTo(_serverHello.AsSpan(_serverHelloFill));
            _serverHelloFill += n;
            data = data[n..];
            if (_serverHelloFill == _serverHello.Length)
            {
                ParseServerHello(_serverHello);
                _serverHello = null;
                _serverHelloFill = 0;
                _messageHeaderFill = 0;
            }
        }
    }

    private void StartMessage()
    {
        byte type = _messageHeader[0];
        int length = (_messageHeader[1] << 16) | (_messageHeader[2] << 8) | _messageHeader[3];
        if (_sawTls12ServerHello)
        {
            // The message after a TLS 1.2 ServerHello decides: Certificate/ServerKeyExchange/
            // ServerHelloDone mean a full handshake.
            Finish(resumed: type == MessageNewSessionTicket);
            return;
        }

        if (type != MessageServerHello || length > MaxServerHelloBytes || length < 38)
        {
            Finish(resumed: null);
            return;
        }

        _serverHello = new byte[length];
        _serverHelloFill = 0;
    }

    private void ParseServerHello(ReadOnlySpan<byte> body)
    {
        // legacy_version(2) random(32) session_id<0..32> cipher_suite(2) compression(1) extensions<..>
        ReadOnlySpan<byte> random = body.Slice(2, 32);
        if (random.SequenceEqual(HelloRetryRandom))
        {
            return; // wait for the ServerHello that answers the second ClientHello
        }

        int offset = 34;
        int sessionIdLength = body[offset];
        offset += 1 + sessionIdLength + 2 + 1;
        bool tls13 = false;
        bool preSharedKey = false;
        if (offset + 2 <= body.Length)
        {
            int extensionsEnd = Math.Min(body.Length, offset + 2 + BinaryPrimitives.ReadUInt16BigEndian(body[offset..]));
            offset += 2;
            while (offset + 4 <= extensionsEnd)
            {
                ushort type = BinaryPrimitives.ReadUInt16BigEndian(body[offset..]);
                int length = BinaryPrimitives.ReadUInt16BigEndian(body[(offset + 2)..]);
                offset += 4;
                if (offset + length > extensionsEnd)
                {
                    Finish(resumed: null);
                    return;
                }

                if (type == ExtensionSupportedVersions && length == 2)
                {
                    tls13 = BinaryPrimitives.ReadUInt16BigEndian(body[offset..]) == VersionTls13;
                }
                else if (type == ExtensionPreSharedKey)
                {
                    preSharedKey = true;
                }

                offset += length;
            }
        }
        else if (offset > body.Length)
        {
            Finish(resumed: null);
            return;
        }

        if (tls13)
        {
            Finish(resumed: preSharedKey);
        }
        else
        {
            _sawTls12ServerHello = true;
        }
    }

    private void Finish(bool? resumed)
    {
        Resumed = resumed;
        IsDone = true;
        _serverHello = null;
    }
}
