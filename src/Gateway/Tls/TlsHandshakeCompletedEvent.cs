using System.Security.Authentication;

namespace Chat.Gateway.Tls;

/// <summary>
/// User event every TLS handler fires down the pipeline exactly once per connection when the
/// handshake ends. Handlers after the TLS handler start application timers (the Auth deadline)
/// on <see cref="TlsHandshakeOutcome.Succeeded"/>; on failure the connection is already closing.
/// </summary>
public sealed class TlsHandshakeCompletedEvent
{
    private static readonly TlsHandshakeCompletedEvent TimedOutEvent = new(TlsHandshakeOutcome.TimedOut, SslProtocols.None, null, "handshake timed out");

    private TlsHandshakeCompletedEvent(TlsHandshakeOutcome outcome, SslProtocols protocol, bool? resumed, string? failure)
    {
        Outcome = outcome;
        Protocol = protocol;
        Resumed = resumed;
        Failure = failure;
    }

    public TlsHandshakeOutcome Outcome { get; }

    public bool IsSuccess => Outcome == TlsHandshakeOutcome.Succeeded;

    /// <summary>Negotiated protocol (Tls12 or Tls13); None when the handshake failed.</summary>
    public SslProtocols Protocol { get; }

    /// <summary>Whether a previous session was resumed; null when the engine cannot tell or the handshake failed.</summary>
    public bool? Resumed { get; }

    /// <summary>Why the handshake failed, for logs; null on success.</summary>
    public string? Failure { get; }

    public static TlsHandshakeCompletedEvent Succeeded(SslProtocols protocol, bool? resumed) => new(TlsHandshakeOutcome.Succeeded, protocol, resumed, null);

    public static TlsHandshakeCompletedEvent Failed(string reason) => new(TlsHandshakeOutcome.Failed, SslProtocols.None, null, reason);

    public static TlsHandshakeCompletedEvent TimedOut() => TimedOutEvent;

    public override string ToString() => IsSuccess
        ? $"TLS handshake succeeded ({TlsMetrics.ProtocolTag(Protocol)}, resumed: {Resumed?.ToString() ?? "unknown"})"
        : $"TLS handshake {Outcome}: {Failure}";
}
