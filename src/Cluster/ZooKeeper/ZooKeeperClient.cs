using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chat.Cluster.ZooKeeper;

/// <summary>
/// An asynchronous ZooKeeper 3.5+ client holding one long-lived session: it fails over between
/// the servers of the connect string keeping the session (id and password), re-arms watches after
/// every reconnect, and opens a new session by itself after expiry (reported as
/// <see cref="ZooKeeperState.Expired"/> first, so owners re-create their ephemeral nodes).
/// </summary>
/// <remarks>
/// Every call returns its outcome as a <see cref="ZooKeeperError"/> (Ok, NoNode, ConnectionLoss,
/// OperationTimeout...) and throws only <see cref="OperationCanceledException"/> when the caller's
/// token fires. Calls made while disconnected wait in a bounded queue until a server serves the
/// session or their timeout passes. Watches are one-shot; their callbacks and the state stream run
/// one at a time, in order, on a dispatch loop, never on the socket reader.
/// </remarks>
public sealed partial class ZooKeeperClient : IAsyncDisposable
{
    private readonly SessionContext _context;
    private readonly ZooKeeperClientOptions _options;
    private readonly RequestQueue _outgoing;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Random _random;
    private readonly Lock _startLock = new();
    private Task? _sessionLoop;
    private Task? _closing;
    private int _pending;
    private int _xid;

    /// <summary>Creates a client; it connects on <see cref="ConnectAsync"/> or the first call.</summary>
    /// <exception cref="OptionsValidationException">The options are invalid (one line per problem).</exception>
    public ZooKeeperClient(ZooKeeperClientOptions options, ILogger<ZooKeeperClient>? logger = null, TimeProvider? timeProvider = null)
        : this(options, logger, timeProvider, random: null, resume: null)
    {
    }

    /// <summary>
    /// Full constructor: <paramref name="random"/> orders the servers and jitters reconnects (seed it
    /// in tests); <paramref name="resume"/> attaches to an existing session instead of opening one,
    /// as ZooKeeper clients may (the session then has two successive owners).
    /// </summary>
    internal ZooKeeperClient(
        ZooKeeperClientOptions options, ILogger? logger, TimeProvider? timeProvider, Random? random, ZooKeeperSessionCredentials? resume)
    {
        var validation = new ZooKeeperClientOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(nameof(ZooKeeperClientOptions), typeof(ZooKeeperClientOptions), validation.Failures);
        }

        _options = options;
        var connectString = ConnectString.TryParse(options.ConnectString, out _)!;
        _context = new SessionContext(options, connectString, logger ?? NullLogger.Instance, timeProvider ?? TimeProvider.System);
        _random = random ?? new Random();
        _outgoing = new RequestQueue(options.MaxPendingRequests);
        if (resume is not null)
        {
            _sessionId = resume.SessionId;
            _password = resume.Password.ToArray();
        }
    }

    /// <summary>Raised for every state change, in order with watch events, on the dispatch loop.</summary>
    public event Action<ZooKeeperStateChange>? StateChanged;

    public ZooKeeperState State => (ZooKeeperState)Volatile.Read(ref _state);

    /// <summary>The current session's id (0 before the first connection). Its ephemeral nodes carry it as ephemeralOwner.</summary>
    public long SessionId => Volatile.Read(ref _sessionId);

    /// <summary>A copy of the current session's password (with the id, enough to attach to the session).</summary>
    public ReadOnlyMemory<byte> SessionPassword => Volatile.Read(ref _password).ToArray();

    /// <summary>The session timeout the server granted (zero before the first connection).</summary>
    public TimeSpan NegotiatedSessionTimeout => TimeSpan.FromTicks(Volatile.Read(ref _negotiatedTicks));

    /// <summary>The server currently serving the session, or null.</summary>
    public string? ConnectedServer => Volatile.Read(ref _connectedServer);

    /// <summary>The chroot of the connect string ("" when none).</summary>
    public string Chroot => _context.Chroot;

    /// <summary>
    /// Starts connecting (if not yet) and waits until a server serves the session. Returns Ok, or
    /// OperationTimeout (the client keeps trying in the background), or ClientClosed.
    /// </summary>
    public async Task<ZooKeeperError> ConnectAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        var deadline = _context.Time.GetTimestamp() + (long)((timeout ?? _options.RequestTimeout).TotalSeconds * _context.Time.TimestampFrequency);
        while (true)
        {
            if (_stopping.IsCancellationRequested)
            {
                return ZooKeeperError.ClientClosed;
            }

            var connected = Volatile.Read(ref _connected);
            if (State == ZooKeeperState.Connected)
            {
                return ZooKeeperError.Ok;
            }

            var left = TimeSpan.FromSeconds((double)(deadline - _context.Time.GetTimestamp()) / _context.Time.TimestampFrequency);
            if (left <= TimeSpan.Zero)
            {
                return ZooKeeperError.OperationTimeout;
            }

            try
            {
                await connected.Task.WaitAsync(left, _context.Time, cancellationToken);
            }
            catch (TimeoutException)
            {
                return ZooKeeperError.OperationTimeout;
            }
        }
    }

    public Task<ZooKeeperResult<string>> CreateAsync(
        string path, ReadOnlyMemory<byte> data, CreateMode mode, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var sequential = mode is CreateMode.PersistentSequential or CreateMode.EphemeralSequential;
        if (Refuse<string>(path, sequential) is { } refused)
        {
            return refused;
        }

        var frame = RequestEncoder.Create(ServerPath(path), data.Span, mode);
        return SubmitAsync(new ZooKeeperRequest<string>(OpCode.Create, frame, ReplyParsers.CreatedPath(_context.Chroot)), timeout, cancellationToken);
    }

    /// <summary>Deletes a node if its version is <paramref name="version"/> (-1: any). NotEmpty if it has children.</summary>
    public async Task<ZooKeeperError> DeleteAsync(string path, int version = -1, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (Refuse<bool>(path) is { } refused)
        {
            return (await refused).Error;
        }

        var frame = RequestEncoder.Delete(ServerPath(path), version);
        var result = await SubmitAsync(new ZooKeeperRequest<bool>(OpCode.Delete, frame, ReplyParsers.None), timeout, cancellationToken);
        return result.Error;
    }

    /// <summary>
    /// The node's metadata, or NoNode. With a <paramref name="watcher"/>, it fires once on the next
    /// NodeCreated (if absent), NodeDataChanged or NodeDeleted.
    /// </summary>
    public Task<ZooKeeperResult<ZooKeeperStat>> ExistsAsync(
        string path, Action<WatchedEvent>? watcher = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        ReadAsync(OpCode.Exists, WatchKind.Exists, path, watcher, ReplyParsers.Stat, timeout, cancellationToken);

    /// <summary>The node's data and metadata. With a <paramref name="watcher"/>, it fires once on NodeDataChanged or NodeDeleted.</summary>
    public Task<ZooKeeperResult<NodeData>> GetDataAsync(
        string path, Action<WatchedEvent>? watcher = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        ReadAsync(OpCode.GetData, WatchKind.Data, path, watcher, ReplyParsers.Data, timeout, cancellationToken);

    /// <summary>Sets the node's data if its version is <paramref name="version"/> (-1: any); returns the new metadata.</summary>
    public Task<ZooKeeperResult<ZooKeeperStat>> SetDataAsync(
        string path, ReadOnlyMemory<byte> data, int version = -1, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (Refuse<ZooKeeperStat>(path) is { } refused)
        {
            return refused;
        }

        var frame = RequestEncoder.SetData(ServerPath(path), data.Span, version);
        return SubmitAsync(new ZooKeeperRequest<ZooKeeperStat>(OpCode.SetData, frame, ReplyParsers.Stat), timeout, cancellationToken);
    }

    /// <summary>
    /// The node's children and metadata from one getChildren2 reply (so Cversion matches the list).
    /// With a <paramref name="watcher"/>, it fires once on NodeChildrenChanged or NodeDeleted.
    /// </summary>
    public Task<ZooKeeperResult<NodeChildren>> GetChildrenAsync(
        string path, Action<WatchedEvent>? watcher = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        ReadAsync(OpCode.GetChildren2, WatchKind.Child, path, watcher, ReplyParsers.Children, timeout, cancellationToken);

    /// <summary>
    /// Applies all <paramref name="ops"/> atomically or none. The error is the first failing
    /// operation's; the value holds every operation's result whenever the server answered.
    /// </summary>
    public Task<ZooKeeperResult<ImmutableArray<ZooKeeperOpResult>>> MultiAsync(
        IReadOnlyList<ZooKeeperOp> ops, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        foreach (var op in ops)
        {
            var sequential = op is { Kind: ZooKeeperOpKind.Create, Mode: CreateMode.PersistentSequential or CreateMode.EphemeralSequential };
            if (Refuse<ImmutableArray<ZooKeeperOpResult>>(op.Path, sequential) is { } refused)
            {
                return refused;
            }
        }

        if (ops.Count == 0)
        {
            return Task.FromResult(ZooKeeperResult<ImmutableArray<ZooKeeperOpResult>>.Ok([]));
        }

        var frame = RequestEncoder.Multi(ops, _context.Chroot);
        var request = new ZooKeeperRequest<ImmutableArray<ZooKeeperOpResult>>(OpCode.Multi, frame, ReplyParsers.Multi(_context.Chroot, ops));
        return SubmitAsync(request, timeout, cancellationToken);
    }

    private Task<ZooKeeperResult<T>> ReadAsync<T>(
        OpCode op, WatchKind kind, string path, Action<WatchedEvent>? watcher, ReplyParser<T> parser, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (Refuse<T>(path) is { } refused)
        {
            return refused;
        }

        var frame = RequestEncoder.Read(op, ServerPath(path), watcher is not null);
        var watch = watcher is null ? null : new WatchRegistration(kind, path, watcher);
        return SubmitAsync(new ZooKeeperRequest<T>(op, frame, parser, watch), timeout, cancellationToken);
    }

    private Task<ZooKeeperResult<T>>? Refuse<T>(string path, bool sequential = false)
    {
        if (ZooKeeperPath.Validate(path, sequential) is { } why)
        {
            ZooKeeperLog.BadPath(_context.Logger, path, why);
            return Task.FromResult(ZooKeeperResult<T>.Failed(ZooKeeperError.BadArguments));
        }

        return null;
    }

    private string ServerPath(string path) => ZooKeeperPath.ToServer(_context.Chroot, path);
}
