using DotNetty.Transport.Channels;

namespace Chat.Gateway.Edge;

/// <summary>
/// Decides whether a freshly accepted client connection may stay (connection limits, accept rate,
/// drain). Called on the connection's event loop before TLS, so it must be quick and must not
/// block; <see cref="OnClosed"/> is called once for every admitted connection.
/// </summary>
public interface IClientAdmission
{
    AdmissionDecision OnAccepted(IChannel channel);

    void OnClosed(IChannel channel);
}

/// <summary>The answer to an accepted connection: refused ones are closed at once (nothing can be sent before TLS).</summary>
public readonly record struct AdmissionDecision(bool Admitted, string? Reason)
{
    public static AdmissionDecision Admit { get; } = new(true, null);

    public static AdmissionDecision Refuse(string reason) => new(false, reason);
}

/// <summary>Admits every connection (the default until the admission policy is configured).</summary>
public sealed class AdmitAll : IClientAdmission
{
    public static AdmitAll Instance { get; } = new();

    public AdmissionDecision OnAccepted(IChannel channel) => AdmissionDecision.Admit;

    public void OnClosed(IChannel channel)
    {
        // Nothing is counted.
    }
}
