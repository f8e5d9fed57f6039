using Chat.Gateway.Tls.OpenSsl.Interop;
using Microsoft.Extensions.Logging;

namespace Chat.Gateway.Tls.OpenSsl;

/// <summary>
/// The ticket keys in use: from the shared key file (re-read when it changes; a bad file keeps the
/// keys in use and is logged once), or one random key per process. The key array is an immutable
/// snapshot swapped by reference: the ticket callback reads it on any event loop without a lock.
/// </summary>
internal sealed class TicketKeyRing : ITicketKeySource, IDisposable
{
    private readonly object _gate = new();
    private readonly string? _path;
    private readonly TlsMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ITimer? _pollTimer;
    private readonly ITimer? _delayTimer;
    private readonly FileSystemWatcher? _watcher;
    private readonly TimeSpan _reloadDelay;
    private TicketKey[] _keys;
    private string? _lastTriedHash;
    private bool _disposed;

    private TicketKeyRing(TicketKey[] keys, string? path, string? hash, TlsOptions options, TlsMetrics metrics, ILogger logger, TimeProvider time)
    {
        _keys = keys;
        _path = path;
        _lastTriedHash = hash;
        _metrics = metrics;
        _logger = logger;
        _reloadDelay = options.CertificateReloadDelay;
        if (path is null)
        {
            return;
        }

        _delayTimer = time.CreateTimer(static s => ((TicketKeyRing)s!).CheckNow(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _pollTimer = time.CreateTimer(static s => ((TicketKeyRing)s!).CheckNow(), this, options.CertificatePollInterval, options.CertificatePollInterval);
        try
        {
            // The directory, not the file: keys are replaced by rename (and by secret volumes).
            _watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!) { IncludeSubdirectories = false };
            FileSystemEventHandler changed = (_, _) => OnFileEvent();
            _watcher.Changed += changed;
            _watcher.Created += changed;
            _watcher.Renamed += (_, _) => OnFileEvent();
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            TlsLog.CertificateWatchFailed(logger, e.Message, options.CertificatePollInterval);
        }
    }

    /// <summary>How many keys decrypt (for logs and tests).</summary>
    public int KeyCount => Volatile.Read(ref _keys).Length;

    public TicketKey? EncryptionKey => Volatile.Read(ref _keys)[0];

    public static TicketKeyRing? Create(TlsOptions options, TlsMetrics metrics, ILogger logger, TimeProvider time, out string? error)
    {
        error = null;
        if (options.TicketKeyFile is null)
        {
            return new TicketKeyRing([TicketKey.CreateRandom()], null, null, options, metrics, logger, time);
        }

        string path = Path.GetFullPath(options.TicketKeyFile);
        TicketKeyFileLoadResult loaded = TicketKeyFile.Load(path);
        if (loaded.Keys is null)
        {
            error = "Tls:TicketKeyFile: " + loaded.Error;
            return null;
        }

        OpenSslLog.TicketKeysLoaded(logger, path, loaded.Keys.Length);
        return new TicketKeyRing(loaded.Keys, path, loaded.ContentHash, options, metrics, logger, time);
    }

    public TicketKey? Find(ReadOnlySpan<byte> name, out bool isEncryptionKey)
    {
        TicketKey[] keys = Volatile.Read(ref _keys);
        for (int i = 0; i < keys.Length; i++)
        {
            if (name.SequenceEqual(keys[i].Name))
            {
                isEncryptionKey = i == 0;
                return keys[i];
            }
        }

        isEncryptionKey = false;
        return null;
    }

    public void Count(TicketOutcome outcome) => _metrics.Ticket(outcome);

    /// <summary>Re-reads the key file now if it changed (also what the watcher and the poll call).</summary>
    public void CheckNow()
    {
        lock (_gate)
        {
            if (_disposed || _path is null)
            {
                return;
            }

            TicketKeyFileLoadResult loaded = TicketKeyFile.Load(_path);
            if (loaded.ContentHash is not null && loaded.ContentHash == _lastTriedHash)
            {
                return;
            }

            _lastTriedHash = loaded.ContentHash;
            if (loaded.Keys is null)
            {
                _metrics.TicketKeysReloaded(succeeded: false);
                OpenSslLog.TicketKeysReloadFailed(_logger, loaded.Error!);
                return;
            }

            Volatile.Write(ref _keys, loaded.Keys);
            _metrics.TicketKeysReloaded(succeeded: true);
            OpenSslLog.TicketKeysLoaded(_logger, _path, loaded.Keys.Length);
        }
    }

    private void OnFileEvent()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _delayTimer?.Change(_reloadDelay, Timeout.InfiniteTimeSpan);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        _watcher?.Dispose();
        _pollTimer?.Dispose();
        _delayTimer?.Dispose();
    }
}
