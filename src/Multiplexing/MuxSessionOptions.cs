using Chat.Protocol.Multiplexing;

namespace Chat.Multiplexing;

/// <summary>
/// Limits and timers of one mux connection, shared by the shard (server) and gateway (client) ends.
/// Values describe what THIS side accepts; the peer learns them from the handshake's settings.
/// </summary>
public abstract class MuxSessionOptions
{
    /// <summary>The cluster keys (required). Loading key files is up to the host.</summary>
    public MuxKeyRing? Keys { get; set; }

    /// <summary>
    /// Bytes the peer may send on a new stream before this side returns credit. Default 128 KiB.
    /// Larger: more throughput per stream on high-latency links, more memory held per slow stream.
    /// </summary>
    public int InitialStreamWindow { get; set; } = 128 * 1024;

    /// <summary>
    /// Largest frame payload this side accepts. Default 128 KiB (a 64 KiB client frame plus an Open's
    /// other fields fits). Larger: bigger buffers a bad peer can make this side hold per connection.
    /// </summary>
    public int MaxFramePayload { get; set; } = 128 * 1024;

    /// <summary>
    /// Largest Data payload this side sends (also capped by the peer's MaxFramePayload). Default 16 KiB:
    /// smaller chunks interleave streams more finely on the shared connection.
    /// </summary>
    public int MaxDataPayload { get; set; } = 16 * 1024;

    /// <summary>
    /// Streams open at once on one connection. Default 10,000. The shard resets extra Opens with
    /// Refused; the gateway does not open more than the shard announced. Off is not offered: every
    /// stream holds buffers.
    /// </summary>
    public int MaxStreams { get; set; } = 10_000;

    /// <summary>Time allowed for Challenge/Hello/HelloOk after the TCP connect. Default 5 s.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often this side pings the peer. Default 5 s. <see cref="TimeSpan.Zero"/> turns pings
    /// off: a silently dead peer (power loss, partition) is then found only by TCP, after minutes.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A ping unanswered for this long closes the connection. Default 5 s.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Queued outbound bytes at which a stream becomes unwritable (<c>IsWritable</c> false, the owner
    /// should stop producing). Default 64 KiB; writable again at <see cref="StreamWriteLowWaterMark"/>.
    /// </summary>
    public int StreamWriteHighWaterMark { get; set; } = 64 * 1024;

    /// <summary>Queued outbound bytes at which a stream becomes writable again. Default 32 KiB.</summary>
    public int StreamWriteLowWaterMark { get; set; } = 32 * 1024;

    /// <summary>
    /// Hard bound on a stream's queued outbound bytes: past it the stream is reset with SlowConsumer
    /// (its peer stopped returning credit). Default 1 MiB. 0 turns the bound off and leaves only
    /// writability: an owner that ignores <c>IsWritable</c> then grows the queue without limit.
    /// </summary>
    public int MaxQueuedBytesPerStream { get; set; } = 1024 * 1024;

    /// <summary>When streams return receive credit. Default <see cref="MuxCreditMode.Automatic"/>.</summary>
    public MuxCreditMode CreditMode { get; set; } = MuxCreditMode.Automatic;

    /// <summary>Checks every value; throws one clear line naming the first bad one.</summary>
    /// <exception cref="ArgumentException">A value is out of range or a required one is missing.</exception>
    public virtual void Validate()
    {
        Require(Keys is not null, "Keys is required");
        Require(InitialStreamWindow > 0, "InitialStreamWindow must be positive");
        Require(MaxFramePayload is >= MuxBodyRules.MinFramePayload and <= 16 * 1024 * 1024,
            $"MaxFramePayload must be {MuxBodyRules.MinFramePayload}..16 MiB");
        Require(MaxDataPayload > 0, "MaxDataPayload must be positive");
        Require(MaxStreams > 0, "MaxStreams must be positive");
        Require(HandshakeTimeout > TimeSpan.Zero, "HandshakeTimeout must be positive");
        Require(PingInterval >= TimeSpan.Zero, "PingInterval must not be negative");
        Require(PingInterval == TimeSpan.Zero || PingTimeout > TimeSpan.Zero, "PingTimeout must be positive");
        Require(StreamWriteLowWaterMark >= 0 && StreamWriteHighWaterMark >= StreamWriteLowWaterMark,
            "stream write water marks must satisfy 0 <= low <= high");
        Require(MaxQueuedBytesPerStream == 0 || MaxQueuedBytesPerStream >= StreamWriteHighWaterMark,
            "MaxQueuedBytesPerStream must be 0 (off) or at least StreamWriteHighWaterMark");
        Require(Enum.IsDefined(CreditMode), "CreditMode is not a known mode");
    }

    /// <summary>Throws <see cref="ArgumentException"/> with the message when the condition is false.</summary>
    protected static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"mux options: {message}");
        }
    }

    internal MuxSettings ToSettings() => new()
    {
        InitialStreamWindow = InitialStreamWindow,
        MaxStreams = MaxStreams,
        MaxFramePayload = MaxFramePayload,
        PingIntervalMs = (int)Math.Min(int.MaxValue, PingInterval.TotalMilliseconds),
    };
}
