using Chat.Protocol.Multiplexing;

namespace Chat.Gateway.Relay;

/// <summary>Why a client's mux stream ended, as the session sees it.</summary>
/// <param name="Kind">Reset by either side, connection lost, or closed without either.</param>
/// <param name="Reason">The reset reason when <paramref name="Kind"/> is Reset.</param>
/// <param name="Epoch">For NotOwner: the shard's ring epoch.</param>
/// <param name="Text">Detail for logs.</param>
internal sealed record StreamEnd(StreamEndKind Kind, ResetReason Reason, long Epoch, string Text)
{
    public string Describe() => Kind switch
    {
        StreamEndKind.Reset => Reason.ToString(),
        StreamEndKind.ConnectionLost => "ConnectionLost",
        _ => "Closed",
    };
}

internal enum StreamEndKind
{
    Reset,
    ConnectionLost,
    Closed,
}
