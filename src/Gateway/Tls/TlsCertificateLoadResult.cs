namespace Chat.Gateway.Tls;

/// <summary>
/// Outcome of reading the PEM files: a certificate, or one line saying what is wrong with which
/// file. <see cref="ContentHash"/> is set whenever the files could be read, so a watcher does not
/// retry (and log again) a bad file until it changes.
/// </summary>
internal readonly record struct TlsCertificateLoadResult(TlsCertificate? Certificate, string? Error, string? ContentHash);
