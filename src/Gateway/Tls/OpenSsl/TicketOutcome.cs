namespace Chat.Gateway.Tls.OpenSsl;

/// <summary>What happened to a session ticket in the key callback (metric tag "outcome").</summary>
internal enum TicketOutcome
{
    /// <summary>A new ticket was encrypted with the current key.</summary>
    Issued,

    /// <summary>A ticket under the current key was decrypted (the session can resume).</summary>
    Accepted,

    /// <summary>A ticket under an older key still in the file was decrypted; a fresh ticket replaces it.</summary>
    AcceptedOldKey,

    /// <summary>The ticket's key is unknown here (rotated out, or another key file): full handshake.</summary>
    UnknownKey,

    /// <summary>OpenSSL failed to set up the cipher or MAC: no ticket, or a full handshake.</summary>
    Failed,
}
