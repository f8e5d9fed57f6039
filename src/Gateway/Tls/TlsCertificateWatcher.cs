using Microsoft.Extensions.Logging;

namespace Chat.Gateway.Tls;

/// <summary>
/// Re-reads the certificate and key files when they change: a file-system watcher for promptness,
/// a poll for mounts where inotify sees nothing (network file systems, some container volumes),
/// and a quiet delay so a certificate and key written one after the other are read together. A
/// file is applied only when its content hash differs from the last one tried, so a bad file is
/// logged once and the old certificate stays until the files change again.
/// </summary>
internal sealed class TlsCertificateWatcher : IDisposable
{
    private readonly object _gate = new();
    private readonly string _certificatePath;
    private readonly string? _keyPath;
    private readonly TimeSpan _reloadDelay;
    private readonly Func<TlsCertificate, string?> _apply;
    private readonly TlsMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ITimer _pollTimer;
    private readonly ITimer _delayTimer;
    private readonly List<FileSystemWatcher> _watchers = [];
    private string? _lastTriedHash;
    private string? _lastReadError;
    private long _generation;
    private bool _disposed;

    /// <param name="apply">Builds the engine's context from a new certificate and swaps it in; returns an error line or null.</param>
    public TlsCertificateWatcher(TlsOptions options, TlsCertificate current, Func<TlsCertificate, string?> apply, TlsMetrics metrics, ILogger logger, TimeProvider time)
    {
        _certificatePath = Path.GetFullPath(options.CertificatePath);
        _keyPath = string.IsNullOrEmpty(options.KeyPath) ? null : Path.GetFullPath(options.KeyPath);
        _reloadDelay = options.CertificateReloadDelay;
        _apply = apply;
        _metrics = metrics;
        _logger = logger;
        _lastTriedHash = current.ContentHash;
        _generation = current.Info.Generation;
        _delayTimer = time.CreateTimer(static s => ((TlsCertificateWatcher)s!).CheckNow(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _pollTimer = time.CreateTimer(static s => ((TlsCertificateWatcher)s!).CheckNow(), this, options.CertificatePollInterval, options.CertificatePollInterval);
        Watch(options.CertificatePollInterval);
    }

    /// <summary>Reads the files now and applies them if they changed (also the poll and watcher path).</summary>
    public void CheckNow()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            TlsCertificateLoadResult loaded = TlsCertificateLoader.Load(_certificatePath, _keyPath, _generation + 1);
            if (loaded.ContentHash is null)
            {
                // Unreadable or missing (e.g. mid-replacement): keep the old certificate; say so
                // once per distinct error rather than at every poll.
                if (loaded.Error != _lastReadError)
                {
                    _lastReadError = loaded.Error;
                    _metrics.CertificateReloaded(succeeded: false);
                    TlsLog.CertificateReloadFailed(_logger, _generation, loaded.Error!);
                }

                return;
            }

            _lastReadError = null;
            if (loaded.ContentHash == _lastTriedHash)
            {
                loaded.Certificate?.Leaf.Dispose();
                return;
            }

            _lastTriedHash = loaded.ContentHash;
            string? error = loaded.Error ?? _apply(loaded.Certificate!);
            if (error is not null)
            {
                _metrics.CertificateReloaded(succeeded: false);
                TlsLog.CertificateReloadFailed(_logger, _generation, error);
                return;
            }

            _generation++;
            _metrics.CertificateReloaded(succeeded: true);
            TlsCertificateInfo info = loaded.Certificate!.Info;
            TlsLog.CertificateLoaded(_logger, info.Generation, info.Subject, info.KeyAlgorithm, info.Thumbprint, info.NotAfter);
        }
    }

    private void Watch(TimeSpan pollInterval)
    {
        var files = new HashSet<string>(StringComparer.Ordinal) { Path.GetFileName(_certificatePath) };
        if (_keyPath is not null)
        {
            files.Add(Path.GetFileName(_keyPath));
        }

        var directories = new HashSet<string>(StringComparer.Ordinal) { Path.GetDirectoryName(_certificatePath)! };
        if (_keyPath is not null)
        {
            directories.Add(Path.GetDirectoryName(_keyPath)!);
        }

        foreach (string directory in directories)
        {
            try
            {
                // The whole directory, not the file: editors and secret mounts replace files by
                // rename (Kubernetes swaps a "..data" symlink), which a per-file watch misses.
                var watcher = new FileSystemWatcher(directory)
                {
                    NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                    IncludeSubdirectories = false,
                };
                FileSystemEventHandler onChange = (_, e) => OnFileEvent(e.Name, files);
                watcher.Changed += onChange;
                watcher.Created += onChange;
                watcher.Deleted += onChange;
                watcher.Renamed += (_, e) => { OnFileEvent(e.Name, files); OnFileEvent(e.OldName, files); };
                watcher.Error += (_, e) => TlsLog.CertificateWatchFailed(_logger, e.GetException().Message, pollInterval);
                watcher.EnableRaisingEvents = true;
                _watchers.Add(watcher);
            }
            catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
            {
                // E.g. the inotify instance limit: polling still covers reloads.
                TlsLog.CertificateWatchFailed(_logger, e.Message, pollInterval);
            }
        }
    }

    private void OnFileEvent(string? name, HashSet<string> files)
    {
        // Names starting with ".." are the symlinked data directories of Kubernetes secret volumes.
        if (name is null || files.Contains(name) || name.StartsWith("..", StringComparison.Ordinal))
        {
            lock (_gate)
            {
                if (!_disposed)
                {
                    _delayTimer.Change(_reloadDelay, Timeout.InfiniteTimeSpan);
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        foreach (FileSystemWatcher watcher in _watchers)
        {
            watcher.Dispose();
        }

        _pollTimer.Dispose();
        _delayTimer.Dispose();
    }
}
