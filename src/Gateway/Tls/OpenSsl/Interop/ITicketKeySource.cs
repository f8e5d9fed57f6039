namespace Chat.Gateway.Tls.OpenSsl.Interop;

/// <summary>What the session-ticket callback asks the engine: the keys, and where to count the outcome.</summary>
internal interface ITicketKeySource
{
    /// <summary>The key new tickets are encrypted with; null: issue no ticket.</summary>
    TicketKey? EncryptionKey { get; }

    /// <summary>The key a ticket names, if still known; <paramref name="isEncryptionKey"/> tells the current key from an older one (for the metric).</summary>
    TicketKey? Find(ReadOnlySpan<byte> name, out bool isEncryptionKey);

    void Count(TicketOutcome outcome);
}
