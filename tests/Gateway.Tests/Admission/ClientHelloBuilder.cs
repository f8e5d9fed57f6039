using System.Buffers.Binary;

namespace Chat.Tests.Gateway.Admission;

/// <summary>Builds TLS ClientHello records byte by byte (RFC 8446 4.1.2), with the extensions a test asks for.</summary>
internal sealed class ClientHelloBuilder
{
    private readonly List<(ushort Type, byte[] Body)> _extensions = [];
    private byte[] _sessionId = [];

    public ClientHelloBuilder SessionId(int length)
    {
        _sessionId = Enumerable.Range(1, length).Select(i => (byte)i).ToArray();
        return this;
    }

    public ClientHelloBuilder Extension(ushort type, byte[] body)
    {
        _extensions.Add((type, body));
        return this;
    }

    /// <summary>supported_versions listing TLS 1.3 and 1.2.</summary>
    public ClientHelloBuilder OffersTls13() => Extension(43, [4, 3, 4, 3, 3]);

    public ClientHelloBuilder PreSharedKey() => Extension(41, new byte[40]);

    public ClientHelloBuilder SessionTicket(int length) => Extension(35, new byte[length]);

    public ClientHelloBuilder ServerName() => Extension(0, [0, 14, 0, 0, 11, .. "example.com"u8]);

    public byte[] Build()
    {
        var hello = new List<byte> { 3, 3 };
        hello.AddRange(new byte[32]);
        hello.Add((byte)_sessionId.Length);
        hello.AddRange(_sessionId);
        hello.AddRange([0, 4, 0x13, 0x01, 0xC0, 0x2F]); // two cipher suites
        hello.AddRange([1, 0]); // null compression
        var extensions = new List<byte>();
        foreach (var (type, body) in _extensions)
        {
            extensions.AddRange(U16(type));
            extensions.AddRange(U16(body.Length));
            extensions.AddRange(body);
        }

        if (_extensions.Count > 0)
        {
            hello.AddRange(U16(extensions.Count));
            hello.AddRange(extensions);
        }

        var handshake = new List<byte> { 1, (byte)(hello.Count >> 16), (byte)(hello.Count >> 8), (byte)hello.Count };
        handshake.AddRange(hello);
        var record = new List<byte> { 22, 3, 1 };
        record.AddRange(U16(handshake.Count));
        record.AddRange(handshake);
        return [.. record];
    }

    private static byte[] U16(int value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)value);
        return bytes;
    }
}
