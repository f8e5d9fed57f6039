namespace Chat.Gateway.Shards;

/// <summary>Outcome of opening a stream at a shard through the pool.</summary>
public enum StreamOpenStatus
{
    /// <summary>The Open is on the wire; the shard may still reset the stream (NotOwner, Refused).</summary>
    Opened,

    /// <summary>No mux connection to the shard could be made now (down, restarting, or backing off).</summary>
    ShardUnreachable,

    /// <summary>The shard takes no new streams on any connection (GoAway, stream limit).</summary>
    Refused,

    /// <summary>The Open does not fit the shard's frame limit (an oversized Auth frame): retrying cannot help.</summary>
    RequestTooLarge,
}
