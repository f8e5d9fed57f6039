namespace Chat.Gateway.Tls.OpenSsl;

/// <summary>The keys of a ticket key file (first encrypts), or one line saying what is wrong; the hash whenever the file could be read.</summary>
internal readonly record struct TicketKeyFileLoadResult(TicketKey[]? Keys, string? Error, string? ContentHash);
