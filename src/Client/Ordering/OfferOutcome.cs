namespace Chat.Client.Ordering;

/// <summary>What <see cref="SeqOrderingBuffer.Offer"/> did with a message.</summary>
internal enum OfferOutcome
{
    /// <summary>It was the next seq: delivered, with any held messages it unblocked.</summary>
    Delivered,

    /// <summary>Already delivered or already held: dropped.</summary>
    Duplicate,

    /// <summary>Above a gap: held until the gap fills (the caller should sync).</summary>
    Held,

    /// <summary>Above a gap and the holding area is full of lower seqs: dropped; a Sync will fetch it again.</summary>
    Dropped,
}
