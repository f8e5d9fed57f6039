using Chat.Multiplexing;

namespace Chat.Gateway.Shards;

/// <summary>What <see cref="IShardStreamOpener.OpenAsync"/> did: the stream when Opened, else a detail for logs.</summary>
public readonly record struct StreamOpenOutcome(StreamOpenStatus Status, MuxStreamChannel? Stream, string Detail);
