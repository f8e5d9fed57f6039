using Chat.Protocol.Packets;

namespace Chat.Client.Sending;

/// <summary>
/// A message sent but not yet acknowledged. Its frame is encoded once and written again, byte for
/// byte, on every retry, so every attempt carries the same clientMsgId. Mutable fields are guarded by
/// the <see cref="PendingSendTable"/> lock.
/// </summary>
internal sealed class PendingSend(string clientMsgId, MessageKind kind, ReadOnlyMemory<byte> body, byte[] frame)
{
    public string ClientMsgId { get; } = clientMsgId;

    public MessageKind Kind { get; } = kind;

    public ReadOnlyMemory<byte> Body { get; } = body;

    /// <summary>The whole Send frame.</summary>
    public byte[] Frame { get; } = frame;

    public TaskCompletionSource<SendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The connection this was last written on; null when it must be written on the next one.</summary>
    public object? WrittenOn { get; set; }

    /// <summary>Times the frame was written.</summary>
    public int Writes { get; set; }

    /// <summary>RateLimited answers waited out so far.</summary>
    public int RateLimitRetries { get; set; }

    /// <summary>Unavailable/Internal answers in a row (drives the backoff).</summary>
    public int Failures { get; set; }

    /// <summary>A timer that writes the frame again after a RateLimited/Unavailable answer; null when none waits.</summary>
    public ITimer? RetryTimer { get; set; }

    /// <summary>The last error text, reported if the send finally fails.</summary>
    public string? LastError { get; set; }
}
