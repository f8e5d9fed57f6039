using Chat.Protocol.Framing;

namespace Chat.ChatService.Hosting;

/// <summary>Limits of the chat protocol on this shard (configuration section <c>Limits</c>).</summary>
public sealed class ChatLimitsOptions
{
    public const string SectionName = "Limits";

    /// <summary>
    /// Time a new connection has to send Auth. Default 10 s. Longer lets idle sockets (slowloris)
    /// hold memory longer; shorter fails clients on slow mobile links.
    /// </summary>
    public TimeSpan AuthTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest frame (length prefix) accepted. Default 65,536, the protocol's limit; clients assume it.</summary>
    public int MaxFrameLength { get; set; } = 65536;

    /// <summary>Largest body after LZ4 decompression. Default 262,144, the protocol's limit. Bounds memory per frame.</summary>
    public int MaxDecompressedLength { get; set; } = 262144;

    /// <summary>
    /// Largest message body accepted in Send, bytes. Default 65,536. Must leave room for the Message
    /// envelope within <see cref="MaxDecompressedLength"/> (1 KiB is reserved).
    /// </summary>
    public int MaxBodyBytes { get; set; } = 65536;

    /// <summary>
    /// Packets per second each device may send after Auth (Ping excluded), refilled continuously.
    /// Default 20. Beyond it the device gets Error{RateLimited, retryAfterMs}; it stays connected.
    /// </summary>
    public double RatePerSecond { get; set; } = 20;

    /// <summary>Packets a device may send at once above the rate. Default 40.</summary>
    public int RateBurst { get; set; } = 40;

    /// <summary>A Typing{on} not refreshed within this time turns off (relayed as Typing{on=false}). Default 5 s.</summary>
    public TimeSpan TypingExpiry { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most messages one Sync returns (the client's limit is clamped to it). Default 200.</summary>
    public int MaxSyncLimit { get; set; } = 200;

    /// <summary>
    /// Bytes queued for a device that is not reading (socket or stream not writable) before the shard
    /// gives up on it: a direct connection is closed (SlowConsumer). Default 1 MiB. 0 turns the bound off,
    /// and one stuck phone can then hold unbounded shard memory.
    /// </summary>
    public int MaxDeviceBacklogBytes { get; set; } = 1 << 20;

    /// <summary>
    /// Packets a device may have waiting for the couple's event loop before the shard stops reading
    /// its socket. Default 256.
    /// </summary>
    public int MaxDeviceInbound { get; set; } = 256;

    /// <summary>
    /// How long live delivery waits for a missing seq (a send that failed with an unknown outcome, or
    /// one made on another shard during a handoff) before skipping it; devices see the gap and Sync.
    /// Default 500 ms.
    /// </summary>
    public TimeSpan DeliveryGapTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a stream Open with a newer ring epoch than this shard's waits for the ring watcher to
    /// catch up before ownership is decided. Default 2 s.
    /// </summary>
    public TimeSpan OwnershipWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The frame options the codec enforces.</summary>
    public FrameOptions ToFrameOptions() => new() { MaxFrameLength = MaxFrameLength, MaxDecompressedLength = MaxDecompressedLength };

    /// <summary>Null when valid, else every problem on one line.</summary>
    public string? Validate()
    {
        var errors = new List<string>();
        if (ToFrameOptions().Validate() is { } frame)
        {
            errors.Add("Limits: " + frame);
        }

        Check(errors, AuthTimeout > TimeSpan.Zero && AuthTimeout <= TimeSpan.FromMinutes(5), $"Limits:AuthTimeout must be 0..5 min (exclusive of 0), not {AuthTimeout}");
        Check(errors, MaxBodyBytes >= 1 && MaxBodyBytes <= MaxDecompressedLength - 1024, $"Limits:MaxBodyBytes must be 1..MaxDecompressedLength-1024 ({MaxDecompressedLength - 1024}), not {MaxBodyBytes}");
        Check(errors, RatePerSecond > 0 && RatePerSecond <= 10_000_000, $"Limits:RatePerSecond must be above 0 and at most 10000000, not {RatePerSecond}");
        Check(errors, RateBurst is >= 1 and <= 10_000_000, $"Limits:RateBurst must be 1..10000000, not {RateBurst}");
        Check(errors, TypingExpiry >= TimeSpan.FromMilliseconds(100) && TypingExpiry <= TimeSpan.FromMinutes(1), $"Limits:TypingExpiry must be 100 ms..1 min, not {TypingExpiry}");
        Check(errors, MaxSyncLimit is >= 1 and <= 4096, $"Limits:MaxSyncLimit must be 1..4096 (a SyncResult holds at most 4096), not {MaxSyncLimit}");
        Check(errors, MaxDeviceBacklogBytes >= 0, $"Limits:MaxDeviceBacklogBytes must be 0 (off) or positive, not {MaxDeviceBacklogBytes}");
        Check(errors, MaxDeviceInbound is >= 1 and <= 65536, $"Limits:MaxDeviceInbound must be 1..65536, not {MaxDeviceInbound}");
        Check(errors, DeliveryGapTimeout >= TimeSpan.FromMilliseconds(1) && DeliveryGapTimeout <= TimeSpan.FromSeconds(30), $"Limits:DeliveryGapTimeout must be 1 ms..30 s, not {DeliveryGapTimeout}");
        Check(errors, OwnershipWait >= TimeSpan.Zero && OwnershipWait <= TimeSpan.FromSeconds(30), $"Limits:OwnershipWait must be 0..30 s, not {OwnershipWait}");
        return errors.Count == 0 ? null : string.Join("; ", errors);
    }

    private static void Check(List<string> errors, bool ok, string message)
    {
        if (!ok)
        {
            errors.Add(message);
        }
    }
}
