namespace Chat.Gateway.Tls.OpenSsl.Interop;

/// <summary>Picks the context (certificate) for the server name a client asked for.</summary>
internal interface IServerNameSelector
{
    /// <summary>The context for <paramref name="serverName"/>; null keeps the default certificate.</summary>
    SafeSslContextHandle? Select(string serverName);
}
