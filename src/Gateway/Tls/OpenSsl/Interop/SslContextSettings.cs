namespace Chat.Gateway.Tls.OpenSsl.Interop;

/// <summary>What every context of an engine shares.</summary>
/// <param name="MinVersion">TLS1_2_VERSION or TLS1_3_VERSION.</param>
/// <param name="MaxVersion">TLS1_2_VERSION or TLS1_3_VERSION.</param>
/// <param name="TicketKeySourceId">Id of the <see cref="ITicketKeySource"/>; 0: no tickets, no resumption.</param>
/// <param name="ServerNameSelectorId">Id of the <see cref="IServerNameSelector"/>; 0: one certificate, no SNI callback.</param>
internal readonly record struct SslContextSettings(int MinVersion, int MaxVersion, nint TicketKeySourceId, nint ServerNameSelectorId);
