namespace Chat.Multiplexing;

/// <summary>Outcome of opening a stream: the channel when <see cref="Status"/> is Opened.</summary>
public readonly record struct MuxOpenResult(MuxOpenStatus Status, MuxStreamChannel? Channel);
