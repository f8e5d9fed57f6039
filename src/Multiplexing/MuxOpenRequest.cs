namespace Chat.Multiplexing;

/// <summary>
/// What a stream is opened with (the Open frame): the gateway builds it, the shard's stream channel
/// exposes it as <see cref="MuxStreamChannel.OpenRequest"/>.
/// </summary>
/// <param name="CoupleId">The couple the client's token names.</param>
/// <param name="RingEpoch">The ring epoch the gateway routed by.</param>
/// <param name="ClientAddress">The client's address as the gateway sees it ("ip:port").</param>
/// <param name="AuthFrame">The client's raw Auth frame; the shard's stream pipeline reads it as the first bytes.</param>
/// <param name="Migrated">The stream replaces one on another shard; the shard should send ResyncHint.</param>
public sealed record MuxOpenRequest(string CoupleId, long RingEpoch, string ClientAddress, ReadOnlyMemory<byte> AuthFrame, bool Migrated);
