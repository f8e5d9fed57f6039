using Chat.Client.Connection;
using Chat.Client.Diagnostics;
using Chat.Client.Events;
using Chat.Client.Ordering;
using Chat.Client.Retry;
using Chat.Client.Sending;
using Chat.Protocol.Framing;
using Chat.Protocol.Packets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chat.Client;

/// <summary>
/// The reference chat client: one device of one user, connected to a gateway over TLS (or to a
/// shard over TCP), reconnecting by itself with jittered backoff until disposed. Messages reach the
/// app exactly once and in seq order through <see cref="MessageReceived"/>, whatever the network
/// does; <see cref="SendAsync"/> retries with the same clientMsgId until the shard acknowledges.
/// docs/client.md describes the guarantees and the reconnect policy.
/// </summary>
/// <remarks>
/// <code>
///  app ── SendAsync ──> pending sends (by clientMsgId) ──write──> connection ──> gateway/shard
///                          ^ rewrite after reconnect/ResyncHint     │ read loop (one per connection)
///  app &lt;── events (dispatcher task, in order) &lt;── ordering buffer &lt;──┤ Message, SyncResult, own Ack
///                                                                  └ Typing, Presence, ReadUpTo, GoAway, Error
///  connection loop: connect ─ Auth ─ AuthOk ─ catch up (Sync) ─ read ... ended ─ backoff ─ connect ...
/// </code>
/// </remarks>
public sealed partial class ChatClient : IAsyncDisposable
{
    private readonly ChatClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly JitterSource _jitter;
    private readonly ExponentialBackoff _backoff;
    private readonly EndpointPicker _endpoints;
    private readonly ConnectSettings _connectSettings;
    private readonly PacketCodec _codec;
    private readonly SeqOrderingBuffer _buffer;
    private readonly PendingSendTable _sends = new();
    private readonly SemaphoreSlim _sendSlots;
    private readonly ClientCounters _counters = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource<ConnectResult> _firstConnect = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _stateLock = new();
    private TaskCompletionSource<LiveConnection> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile LiveConnection? _live;
    private Task _supervisor = Task.CompletedTask;
    private ConnectionState _state = ConnectionState.Created;
    private long _lastSeq;
    private volatile bool _gapOpen;
    private long _readMark = -1;
    private volatile string? _userId;
    private volatile string? _coupleId;
    private volatile bool _partnerOnline;
    private int _started;
    private int _disposed;

    /// <summary>Creates a client; nothing connects until <see cref="ConnectAsync"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid (<see cref="ChatClientOptions.Validate"/> says why).</exception>
    public ChatClient(ChatClientOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = options.TimeProvider;
        _jitter = new JitterSource(options.Random ?? Random.Shared);
        _backoff = new ExponentialBackoff(options.InitialBackoff, options.MaxBackoff, _jitter);
        _endpoints = new EndpointPicker([.. options.Endpoints.Select(e => EndpointAddress.TryParse(e, out var a) ? a : default)], _jitter);
        _codec = options.Frames is null ? PacketCodec.Default : new PacketCodec(new FrameCodec(options.Frames));
        _connectSettings = new ConnectSettings(options.UseTls, options.TlsServerName, options.PinnedCaCertificate, options.TlsResumption, options.LocalAddress, options.ConnectTimeout, _time, _jitter, _codec);
        _lastSeq = Math.Max(0, options.StartAfterSeq);
        _buffer = new SeqOrderingBuffer(_lastSeq, options.MaxHeldMessages);
        _sendSlots = new SemaphoreSlim(options.MaxInFlightSends, options.MaxInFlightSends);
        _events = CreateEventQueue(options.EventQueueCapacity);
    }

    /// <summary>The current connection state.</summary>
    public ConnectionState State
    {
        get
        {
            lock (_stateLock)
            {
                return _state;
            }
        }
    }

    /// <summary>
    /// The highest seq delivered to the app with nothing missing below it. Persist it (after handling
    /// the message) and pass it as <see cref="ChatClientOptions.StartAfterSeq"/> next time.
    /// </summary>
    public long LastSeq => Volatile.Read(ref _lastSeq);

    /// <summary>This device's user, from the token (null before the first AuthOk).</summary>
    public string? UserId => _userId;

    /// <summary>The couple, from the token (null before the first AuthOk).</summary>
    public string? CoupleId => _coupleId;

    /// <summary>Whether a device of the partner was connected at the last AuthOk (Presence events update it).</summary>
    public bool PartnerOnline => _partnerOnline;

    /// <summary>Counters for load harnesses and metrics.</summary>
    public ChatClientCounters Counters => _counters.Snapshot();

    /// <summary>
    /// Opens the first connection and authenticates, retrying network failures with backoff. After it
    /// returns <see cref="ConnectStatus.Connected"/> the client keeps itself connected until disposed.
    /// If the server refuses the token twice (once more with a fresh one), returns
    /// <see cref="ConnectStatus.AuthFailed"/> and the client is closed. If
    /// <paramref name="cancellationToken"/> fires first, the client stops trying and closes
    /// (<see cref="OperationCanceledException"/>). Call once.
    /// </summary>
    public async Task<ConnectResult> ConnectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("ConnectAsync was already called; the client reconnects by itself.");
        }

        _dispatcher = Task.Run(DispatchAsync, CancellationToken.None);
        _supervisor = Task.Run(SuperviseAsync, CancellationToken.None);
        try
        {
            return await _firstConnect.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await StopAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Tells the partner this user is typing (or stopped). Typing is ephemeral: when not connected it
    /// is dropped and false is returned.
    /// </summary>
    public async ValueTask<bool> SetTypingAsync(bool isTyping, CancellationToken cancellationToken = default)
    {
        if (_live is not { } live)
        {
            return false;
        }

        live.LastUnkeyedWasSync = false;
        return await live.Transport.WriteAsync(new Typing { On = isTyping }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Marks every message up to <paramref name="seq"/> as read. The highest mark is kept and written
    /// again after every reconnect (read marks only move forward on the server, so this is idempotent).
    /// Returns false when it could not be written now (it goes out on the next connection).
    /// </summary>
    public async ValueTask<bool> MarkReadAsync(long seq, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seq);
        long previous;
        do
        {
            previous = Interlocked.Read(ref _readMark);
            if (seq <= previous)
            {
                break;
            }
        }
        while (Interlocked.CompareExchange(ref _readMark, seq, previous) != previous);

        if (_live is not { } live)
        {
            return false;
        }

        live.LastUnkeyedWasSync = false;
        return await live.Transport.WriteAsync(new ReadUpTo { Seq = seq }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Closes the connection and stops reconnecting. Pending sends end with <see cref="SendStatus.Closed"/>;
    /// events already queued are still raised before this returns (unless called from a handler).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync().ConfigureAwait(false);
        _events.Writer.TryComplete();
        if (!_inHandler.Value)
        {
            // Let the app see what was queued; from inside a handler this would wait for itself.
            await _dispatcher.ConfigureAwait(false);
        }

        // _lifetime is not disposed: late calls (a retry timer, SyncAsync racing with dispose) still
        // read its token, and a source without a timer or wait handle holds nothing to release.
    }

    private async Task StopAsync()
    {
        if (!_lifetime.IsCancellationRequested)
        {
            await _lifetime.CancelAsync().ConfigureAwait(false);
        }

        _live?.RequestClose(DisconnectReason.None, "client closed");
        await _supervisor.ConfigureAwait(false);
        _sends.CompleteAll(send => new SendResult(SendStatus.Closed, send.ClientMsgId, 0, default, send.Writes, "client closed"));
        _firstConnect.TrySetCanceled();
        await ReportStateAsync(ConnectionState.Closed, DisconnectReason.None, null).ConfigureAwait(false);
    }

    /// <summary>
    /// Moves to <paramref name="state"/>; returns the change to report, or null when there is nothing
    /// new (or the client is closed). Every connection attempt after a failure is reported, with the
    /// failure as its reason, so the app can show why it is not connected.
    /// </summary>
    private StateChange? SetState(ConnectionState state, DisconnectReason reason, string? detail)
    {
        lock (_stateLock)
        {
            var repeatedAttempt = state is ConnectionState.Connecting or ConnectionState.Reconnecting && reason != DisconnectReason.None;
            if (_state == ConnectionState.Closed || (_state == state && !repeatedAttempt))
            {
                return null;
            }

            _state = state;
            return new StateChange(state, reason, detail);
        }
    }
}
