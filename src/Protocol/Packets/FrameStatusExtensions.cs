using Chat.Protocol.Framing;

namespace Chat.Protocol.Packets;

/// <summary>What a receiver tells the peer, and whether it closes, for each failed read.</summary>
public static class FrameStatusExtensions
{
    /// <summary>The <see cref="ErrorCode"/> to send in Error for a failed read.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="FrameStatus.Ok"/> or <see cref="FrameStatus.NeedMoreData"/>, which are not errors.</exception>
    public static ErrorCode ToErrorCode(this FrameStatus status) => status switch
    {
        FrameStatus.TooLarge or FrameStatus.DecompressedTooLarge => ErrorCode.FrameTooLarge,
        FrameStatus.BadCompression => ErrorCode.BadCompression,
        FrameStatus.UnknownPacket => ErrorCode.BadRequest,
        FrameStatus.EmptyFrame or FrameStatus.ReservedFlags or FrameStatus.BadBody => ErrorCode.ProtocolError,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not an error"),
    };

    /// <summary>
    /// True when the connection must be closed after sending Error: every failure except
    /// <see cref="FrameStatus.UnknownPacket"/>, which a newer peer may legitimately send.
    /// </summary>
    public static bool ClosesConnection(this FrameStatus status) =>
        status is not (FrameStatus.Ok or FrameStatus.NeedMoreData or FrameStatus.UnknownPacket);
}
