using System.Buffers.Binary;

namespace Chat.Gateway.Admission;

/// <summary>
/// Tells, from the first TLS record alone, whether a client offers a session to resume, so the
/// handshake budget can be checked before the TLS engine does the expensive part (key exchange and
/// certificate signature). Reads only the ClientHello framing (RFC 8446 4.1.2, RFC 5246 7.4.1.2):
/// <code>
/// record:    type(1)=22 | version(2) | length(2) | fragment
/// handshake: type(1)=1  | length(3)  | version(2) | random(32) | session_id&lt;0..32&gt;
///            | cipher_suites&lt;2..2^16-2&gt; | compression&lt;1..2^8-1&gt; | extensions&lt;0..2^16-1&gt;
/// </code>
/// Resumption is offered by a pre_shared_key extension (41, TLS 1.3), a non-empty session_ticket
/// extension (35, TLS 1.2), or a session id from a client that does not offer TLS 1.3 (a TLS 1.3
/// client always sends a random 32-byte legacy session id, which says nothing).
/// </summary>
/// <remarks>Never throws and never allocates: every length is checked against the bytes present.</remarks>
internal static class ClientHelloClassifier
{
    /// <summary>Largest TLSPlaintext fragment (RFC 8446 5.1); a longer record is not TLS.</summary>
    public const int MaxRecordLength = 16_384;

    /// <summary>Bytes needed at most before a decision: one whole record.</summary>
    public const int MaxBytesNeeded = 5 + MaxRecordLength;

    private const byte HandshakeRecord = 22;
    private const byte ClientHelloMessage = 1;
    private const ushort PreSharedKeyExtension = 41;
    private const ushort SessionTicketExtension = 35;
    private const ushort SupportedVersionsExtension = 43;

    public static ClientHelloClass Classify(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 1 && data[0] != HandshakeRecord)
        {
            return ClientHelloClass.NotAClientHello;
        }

        if (data.Length >= 2 && data[1] != 3)
        {
            return ClientHelloClass.NotAClientHello;
        }

        if (data.Length < 5)
        {
            return ClientHelloClass.Incomplete;
        }

        int recordLength = BinaryPrimitives.ReadUInt16BigEndian(data[3..]);
        if (recordLength is 0 or > MaxRecordLength)
        {
            return ClientHelloClass.NotAClientHello;
        }

        if (data.Length < 5 + recordLength)
        {
            return ClientHelloClass.Incomplete;
        }

        var fragment = data.Slice(5, recordLength);
        if (fragment.Length < 4 || fragment[0] != ClientHelloMessage)
        {
            return ClientHelloClass.NotAClientHello;
        }

        // A ClientHello longer than one record continues in the next one; what this record holds is
        // read, and a hello cut before its extensions counts as a full handshake (the safe side).
        var helloLength = (fragment[1] << 16) | (fragment[2] << 8) | fragment[3];
        var hello = fragment[4..];
        if (hello.Length > helloLength)
        {
            hello = hello[..helloLength];
        }

        return ClassifyHello(hello);
    }

    private static ClientHelloClass ClassifyHello(ReadOnlySpan<byte> hello)
    {
        // version(2) random(32)
        if (!Skip(ref hello, 34) || !TryReadLength8(ref hello, out var sessionIdLength) || !Skip(ref hello, sessionIdLength)
            || !TryReadLength16(ref hello, out var suitesLength) || !Skip(ref hello, suitesLength)
            || !TryReadLength8(ref hello, out var compressionLength) || !Skip(ref hello, compressionLength))
        {
            return ClientHelloClass.Full;
        }

        if (!TryReadLength16(ref hello, out var extensionsLength))
        {
            // No extensions at all: an old TLS 1.2 client; a session id means resumption.
            return sessionIdLength > 0 ? ClientHelloClass.Resumption : ClientHelloClass.Full;
        }

        var extensions = hello[..Math.Min(extensionsLength, hello.Length)];
        var offersTls13 = false;
        while (extensions.Length >= 4)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(extensions);
            int length = BinaryPrimitives.ReadUInt16BigEndian(extensions[2..]);
            extensions = extensions[4..];
            if (length > extensions.Length)
            {
                break;
            }

            switch (type)
            {
                case PreSharedKeyExtension:
                case SessionTicketExtension when length > 0:
                    return ClientHelloClass.Resumption;
                case SupportedVersionsExtension:
                    offersTls13 = OffersTls13(extensions[..length]);
                    break;
                default:
                    break;
            }

            extensions = extensions[length..];
        }

        return !offersTls13 && sessionIdLength > 0 ? ClientHelloClass.Resumption : ClientHelloClass.Full;
    }

    /// <summary>supported_versions in a ClientHello: a one-byte length, then two-byte versions; 0x0304 is TLS 1.3.</summary>
    private static bool OffersTls13(ReadOnlySpan<byte> body)
    {
        if (body.Length < 1)
        {
            return false;
        }

        var versions = body[1..];
        if (versions.Length > body[0])
        {
            versions = versions[..body[0]];
        }

        for (var i = 0; i + 1 < versions.Length; i += 2)
        {
            if (versions[i] == 3 && versions[i + 1] == 4)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Skip(ref ReadOnlySpan<byte> span, int count)
    {
        if (span.Length < count)
        {
            return false;
        }

        span = span[count..];
        return true;
    }

    private static bool TryReadLength8(ref ReadOnlySpan<byte> span, out int length)
    {
        length = 0;
        if (span.Length < 1)
        {
            return false;
        }

        length = span[0];
        span = span[1..];
        return true;
    }

    private static bool TryReadLength16(ref ReadOnlySpan<byte> span, out int length)
    {
        length = 0;
        if (span.Length < 2)
        {
            return false;
        }

        length = BinaryPrimitives.ReadUInt16BigEndian(span);
        span = span[2..];
        return true;
    }
}
