using DotNetty.Transport.Channels;

namespace Chat.Gateway.Lifecycle;

/// <summary>The client connections a drain waits for (kept by <see cref="Admission.AdmissionController"/>).</summary>
public interface IClientConnections
{
    /// <summary>Client connections open now.</summary>
    int Count { get; }

    /// <summary>When the last client connection was admitted; null if none ever was.</summary>
    DateTimeOffset? LastAcceptedAt { get; }

    /// <summary>The open client channels at this moment (a copy).</summary>
    IReadOnlyList<IChannel> Snapshot();

    /// <summary>Refuses every new client connection from now on; open ones are not touched.</summary>
    void StopAdmitting();
}
