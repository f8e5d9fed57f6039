using Chat.Cluster.Routing;
using Chat.Multiplexing;
using DotNetty.Transport.Channels;

namespace Chat.Gateway.Shards;

/// <summary>Opens client streams on the mux connections to a shard.</summary>
public interface IShardStreamOpener
{
    /// <summary>
    /// Opens a stream at <paramref name="owner"/>; <paramref name="initializer"/> (sharable) builds
    /// the stream's pipeline. Failures are statuses; only cancellation throws.
    /// </summary>
    ValueTask<StreamOpenOutcome> OpenAsync(RingMember owner, MuxOpenRequest request, IChannelHandler initializer, CancellationToken cancellationToken);
}
