namespace Chat.Multiplexing;

/// <summary>When a stream returns receive credit (Window frames) to its peer.</summary>
public enum MuxCreditMode
{
    /// <summary>
    /// As soon as the stream's pipeline has handled a read (the shard: its chat pipeline consumes
    /// bytes synchronously, so credit follows processing).
    /// </summary>
    Automatic,

    /// <summary>
    /// Only when the owner calls <see cref="MuxStreamChannel.ConsumeBytes"/> (the gateway: after the
    /// bytes were written and flushed to the client socket, so a slow phone exhausts the shard's window).
    /// </summary>
    Explicit,
}
