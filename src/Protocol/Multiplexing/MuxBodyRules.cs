namespace Chat.Protocol.Multiplexing;

/// <summary>
/// Field rules for the control bodies: what a decoded body must hold to be accepted. Limits on
/// strings keep logs and memory bounded; they are far above anything a real peer sends.
/// </summary>
public static class MuxBodyRules
{
    /// <summary>Longest id string (gateway, shard, key, couple) in characters.</summary>
    public const int MaxIdLength = 256;

    /// <summary>Longest free text (Reset, GoAway) in characters.</summary>
    public const int MaxTextLength = 1024;

    /// <summary>Smallest frame payload limit a peer may announce: an Open with a small Auth frame must fit.</summary>
    public const int MinFramePayload = 1024;

    /// <summary>True when the Challenge has a version, a shard id and a 32-byte nonce.</summary>
    public static bool IsValid(MuxChallenge body) =>
        body.__isset.version && body.Version > 0
        && IsId(body.ShardId)
        && body.Nonce is { Length: MuxProtocol.NonceSize };

    /// <summary>True when the Hello has a version, ids, a 32-byte nonce and MAC, and valid settings.</summary>
    public static bool IsValid(MuxHello body) =>
        body.__isset.version && body.Version > 0
        && IsId(body.GatewayId)
        && IsId(body.KeyId)
        && body.Nonce is { Length: MuxProtocol.NonceSize }
        && body.Mac is { Length: MuxProtocol.MacSize }
        && body.Settings is not null && IsValid(body.Settings);

    /// <summary>True when the HelloOk has a shard id, a 32-byte MAC and valid settings.</summary>
    public static bool IsValid(MuxHelloOk body) =>
        IsId(body.ShardId)
        && body.Mac is { Length: MuxProtocol.MacSize }
        && body.Settings is not null && IsValid(body.Settings);

    /// <summary>True when every setting is present and in range.</summary>
    public static bool IsValid(MuxSettings body) =>
        body.__isset.initialStreamWindow && body.InitialStreamWindow > 0
        && body.__isset.maxStreams && body.MaxStreams > 0
        && body.__isset.maxFramePayload && body.MaxFramePayload >= MinFramePayload
        && body.__isset.pingIntervalMs && body.PingIntervalMs >= 0;

    /// <summary>True when the Open names a couple, a non-negative epoch and a non-empty Auth frame.</summary>
    public static bool IsValid(MuxOpen body) =>
        IsId(body.CoupleId)
        && body.__isset.ringEpoch && body.RingEpoch >= 0
        && (body.ClientAddress is null || body.ClientAddress.Length <= MaxIdLength)
        && body.AuthFrame is { Length: > 0 };

    /// <summary>True when the Reset has a known reason and a non-negative epoch.</summary>
    public static bool IsValid(MuxReset body) =>
        Enum.IsDefined(body.Reason)
        && body.Epoch >= 0
        && IsText(body.Text);

    /// <summary>True when the GoAway has a known reason and a stream id in 0..2^32-1.</summary>
    public static bool IsValid(MuxGoAway body) =>
        Enum.IsDefined(body.Reason)
        && body.__isset.lastStreamId && body.LastStreamId is >= 0 and <= uint.MaxValue
        && IsText(body.Text);

    private static bool IsId(string? value) => value is { Length: > 0 and <= MaxIdLength };

    private static bool IsText(string? value) => value is null || value.Length <= MaxTextLength;
}
