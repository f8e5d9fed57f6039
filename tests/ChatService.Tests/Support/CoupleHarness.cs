using Chat.ChatService.Chat;
using Chat.ChatService.Diagnostics;
using Chat.ChatService.Hosting;
using Chat.ChatService.Ownership;
using Chat.Cluster.Routing;
using Chat.Protocol.Packets;
using Chat.Protocol.Security;
using DotNetty.Common.Concurrency;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chat.Tests.ChatService.Support;

/// <summary>
/// One <see cref="CoupleSession"/> on a real single-thread event loop, with the in-memory store, a
/// manual clock and recording connections. Work reaches the session the way the shard hands it
/// over (<see cref="CoupleSession.Execute(Action)"/>); <see cref="RunAsync"/> completes once the loop
/// ran it, so a call after it sees everything queued before.
/// </summary>
internal sealed class CoupleHarness : IAsyncDisposable
{
    public const string ShardId = "s1";

    private readonly SingleThreadEventExecutor _loop = new("couple-test", TimeSpan.FromMilliseconds(10));
    private readonly ShardMetrics _metrics = new();

    public CoupleHarness(ChatLimitsOptions? limits = null, string coupleId = "c1")
    {
        Limits = limits ?? new ChatLimitsOptions { RatePerSecond = 1000, RateBurst = 1000 };
        var ring = new FixedRing(new RingSnapshot(1, [new RingMember(ShardId, "127.0.0.1", 1, RingMember.NormalWeight)]));
        var services = new ChatServices(
            Store,
            new TokenVerifier(new KeyRing([SecretKey.Generate("k1")]), null, Time),
            new CoupleOwnership(ring, ShardId, TimeSpan.Zero),
            Limits,
            Time,
            NullLogger.Instance,
            _metrics);
        Session = new CoupleSession(coupleId, _loop, services, _ => { });
    }

    public ManualTimeProvider Time { get; } = new();

    public InMemoryChatStore Store { get; } = new();

    public ChatLimitsOptions Limits { get; }

    public CoupleSession Session { get; }

    /// <summary>Joins a device; returns it once AuthOk was sent.</summary>
    public async Task<(DeviceLink Device, RecordingConnection Connection)> AttachAsync(string userId, string deviceId, bool migrated = false)
    {
        var connection = new RecordingConnection($"{userId}/{deviceId}");
        var observer = new Observer();
        await RunAsync(() => Session.Attach(new AttachRequest(userId, deviceId, connection, migrated, observer)));
        var device = await observer.Attached.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await connection.WaitForAsync(PacketKind.AuthOk);
        return (device, connection);
    }

    /// <summary>A packet from <paramref name="device"/>, handled on the couple's loop.</summary>
    public Task HandleAsync(DeviceLink device, ClientPacket packet) => RunAsync(() => Session.Handle(device, packet));

    /// <summary>Runs <paramref name="action"/> on the couple's loop and waits for it (and everything queued before it).</summary>
    public async Task RunAsync(Action action)
    {
        var done = new System.Threading.Tasks.TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Session.Execute(() =>
        {
            try
            {
                action();
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        });
        await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Waits until the loop ran everything queued so far.</summary>
    public Task SettleAsync() => RunAsync(() => { });

    public async ValueTask DisposeAsync()
    {
        await _loop.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromSeconds(1)).WaitAsync(TimeSpan.FromSeconds(10));
        _metrics.Dispose();
    }

    private sealed class Observer : IAttachObserver
    {
        public TaskCompletionSource<DeviceLink> Attached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        void IAttachObserver.Attached(DeviceLink device) => Attached.TrySetResult(device);

        void IAttachObserver.Refused(EndReason reason, Error? error, long epoch) =>
            Attached.TrySetException(new InvalidOperationException($"attach refused: {reason} {error?.Text}"));

        void IAttachObserver.Retry() => Attached.TrySetException(new InvalidOperationException("attach asked to retry"));
    }

    private sealed class FixedRing(RingSnapshot ring) : IRingView
    {
        public RingSnapshot Current => ring;

        public event Action<RingSnapshot>? Changed
        {
            add { }
            remove { }
        }

        public Task<RingSnapshot?> WaitForEpochAsync(long epoch, TimeSpan timeout, CancellationToken cancellationToken = default) =>
            Task.FromResult<RingSnapshot?>(ring.Epoch >= epoch ? ring : null);
    }
}
