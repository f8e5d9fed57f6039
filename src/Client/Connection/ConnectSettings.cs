using System.Net;
using System.Security.Cryptography.X509Certificates;
using Chat.Client.Retry;
using Chat.Protocol.Packets;

namespace Chat.Client.Connection;

/// <summary>What <see cref="ClientConnection.ConnectAsync"/> needs, taken once from the validated options.</summary>
internal sealed record ConnectSettings(
    bool UseTls,
    string? TlsServerName,
    X509Certificate2? PinnedCa,
    bool TlsResumption,
    IPAddress? LocalAddress,
    TimeSpan ConnectTimeout,
    TimeProvider Time,
    JitterSource Jitter,
    PacketCodec Codec);
