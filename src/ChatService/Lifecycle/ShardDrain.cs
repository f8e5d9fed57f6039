using Chat.ChatService.Diagnostics;
using Chat.ChatService.Hosting;
using Chat.Hosting.Lifecycle;
using Chat.Protocol.Multiplexing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chat.ChatService.Lifecycle;

/// <summary>
/// How a shard leaves service (SIGTERM or POST /admin/drain):
/// <code>
///  1. delete /chat/ring/&lt;id&gt;      -> every process sees a new epoch without this shard
///  2. GoAway(Draining) on every   -> gateways open no new stream here (an Open already in flight
///     gateway mux connection         is answered NotOwner once the ring change is seen)
///  3. the ring change here        -> streams reset with Moved (gateways re-open them at the new
///                                    owners, clients keep their TLS connection), direct clients
///                                    get Error{NotOwner} and reconnect; new Auths get NotOwner
///  4. wait until no stream and no direct connection is left, or Drain:Timeout
///  5. close what is left (GoAway Shutdown), delete /chat/shards/&lt;id&gt;, exit 0
/// </code>
/// </summary>
internal sealed class ShardDrain(ShardRuntime runtime, IOptions<DrainOptions> options, TimeProvider time, ILogger<ShardDrain> logger) : IDrainProcedure
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MembershipTimeout = TimeSpan.FromSeconds(10);

    private volatile string _detail = "serving";

    public DrainProgress Progress => new(Remaining, $"{_detail}: {runtime.OpenStreams} streams on {runtime.MuxConnections} gateway connections, {runtime.DirectConnections} direct connections");

    // Streams as the mux counts them (authenticated or not) plus direct connections.
    private long Remaining => runtime.OpenStreams + Math.Max(0, runtime.DirectConnections);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _detail = "leaving the ring";
        using (var leave = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            leave.CancelAfter(MembershipTimeout);
            var left = await runtime.LeaveRingAsync(leave.Token).ConfigureAwait(false);
            if (left != Cluster.Membership.MembershipResult.Ok)
            {
                ShardLog.MembershipPending(logger, "leave ring", left.ToString());
            }
        }

        _detail = "telling gateways";
        await runtime.GoAwayAsync(GoAwayReason.Draining, "shard draining").ConfigureAwait(false);

        var timeout = options.Value.Timeout;
        ShardLog.DrainLeftRing(logger, timeout, Remaining);
        _detail = "waiting for gateways to move streams";
        var deadline = time.GetTimestamp() + (long)(timeout.TotalSeconds * time.TimestampFrequency);
        while (Remaining > 0 && time.GetTimestamp() < deadline)
        {
            await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
        }

        if (Remaining > 0)
        {
            ShardLog.DrainClosingRest(logger, Remaining);
        }

        _detail = "closing";
        await runtime.CloseConnectionsAsync().ConfigureAwait(false);
        _detail = "deregistering";
        using (var deregister = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deregister.CancelAfter(MembershipTimeout);
            var result = await runtime.DeregisterAsync(deregister.Token).ConfigureAwait(false);
            if (result != Cluster.Membership.MembershipResult.Ok)
            {
                // The nodes are ephemeral: they go with the session when the process exits.
                ShardLog.MembershipPending(logger, "deregister", result.ToString());
            }
        }

        _detail = "drained";
        ShardLog.DrainDone(logger);
    }
}
