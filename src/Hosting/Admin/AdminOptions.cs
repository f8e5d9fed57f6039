namespace Chat.Hosting.Admin;

/// <summary>The admin HTTP endpoint of a server process.</summary>
public sealed class AdminOptions
{
    /// <summary>
    /// Where the admin endpoint listens, e.g. "http://127.0.0.1:9100". Default: loopback, port 0
    /// (any free port, logged at start). Binding it to a public address exposes `/admin/drain`
    /// to anyone who can reach it: keep it on loopback or a management network.
    /// </summary>
    public string Url { get; set; } = "http://127.0.0.1:0";

    public string? Validate() =>
        Uri.TryCreate(Url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp
            ? null
            : $"Admin:Url must be an absolute http:// URL, got '{Url}'";
}
