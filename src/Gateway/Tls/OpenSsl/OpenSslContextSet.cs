namespace Chat.Gateway.Tls.OpenSsl;

/// <summary>
/// The contexts new handshakes use: the default certificate and the SNI ones by name. Immutable;
/// a reload builds a new set and swaps it in by reference, so the SNI callback (any event loop)
/// reads one consistent set without a lock.
/// </summary>
internal sealed class OpenSslContextSet
{
    private readonly Dictionary<string, OpenSslContext> _exact;
    private readonly Dictionary<string, OpenSslContext> _wildcard;

    /// <param name="named">Index i: the context of Tls:Certificates:i.</param>
    public OpenSslContextSet(OpenSslContext defaultContext, OpenSslContext[] named, IReadOnlyList<TlsServerCertificateOptions> entries)
    {
        Default = defaultContext;
        Named = named;
        _exact = new Dictionary<string, OpenSslContext>(StringComparer.OrdinalIgnoreCase);
        _wildcard = new Dictionary<string, OpenSslContext>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < named.Length; i++)
        {
            foreach (string name in entries[i].ServerNames)
            {
                if (name.StartsWith("*.", StringComparison.Ordinal))
                {
                    _wildcard[name[2..]] = named[i];
                }
                else
                {
                    _exact[name] = named[i];
                }
            }
        }
    }

    public OpenSslContext Default { get; }

    public OpenSslContext[] Named { get; }

    /// <summary>Exact name first, then "*." + the name without its first label; null: the default.</summary>
    public OpenSslContext? Find(string serverName)
    {
        if (_exact.TryGetValue(serverName, out OpenSslContext? context))
        {
            return context;
        }

        int dot = serverName.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && _wildcard.TryGetValue(serverName[(dot + 1)..], out context) ? context : null;
    }

    /// <summary>A copy with the context at <paramref name="index"/> (-1: the default) replaced.</summary>
    public OpenSslContextSet With(int index, OpenSslContext context, IReadOnlyList<TlsServerCertificateOptions> entries)
    {
        OpenSslContext[] named = (OpenSslContext[])Named.Clone();
        if (index >= 0)
        {
            named[index] = context;
        }

        return new OpenSslContextSet(index < 0 ? context : Default, named, entries);
    }
}
