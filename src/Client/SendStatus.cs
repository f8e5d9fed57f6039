namespace Chat.Client;

/// <summary>How a <see cref="ChatClient.SendAsync"/> ended.</summary>
public enum SendStatus
{
    /// <summary>Stored under <see cref="SendResult.Seq"/> (acknowledged by the shard, or found in a Sync after a lost Ack).</summary>
    Sent,

    /// <summary>The shard refused the content (Error{BadRequest}); retrying the same message will not help.</summary>
    Rejected,

    /// <summary>The frame would exceed the protocol limits (64 KiB framed, 256 KiB decompressed by default); nothing was sent.</summary>
    TooLarge,

    /// <summary>The shard kept answering RateLimited after <see cref="ChatClientOptions.MaxRateLimitRetries"/> retries.</summary>
    RateLimited,

    /// <summary>
    /// No Ack within <see cref="ChatClientOptions.SendTimeout"/>. The message may still have been
    /// stored: if so it arrives through <see cref="ChatClient.MessageReceived"/> like any other, and
    /// sending it again with the same clientMsgId is safe.
    /// </summary>
    TimedOut,

    /// <summary>The client was disposed before the Ack; as for <see cref="TimedOut"/>, the message may have been stored.</summary>
    Closed,
}
