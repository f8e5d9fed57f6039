using Chat.Protocol.Framing;

namespace Chat.ChatService.Transport;

/// <summary>
/// Emitted by <see cref="ClientFrameDecoder"/> instead of a packet when a frame cannot be read; the
/// chat handler answers it (Error, and a close unless the status allows going on).
/// </summary>
internal sealed record FrameDecodeFailure(FrameStatus Status);
