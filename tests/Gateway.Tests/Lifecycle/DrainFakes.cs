using System.Collections.Concurrent;
using Chat.Cluster.Membership;
using Chat.Gateway.Lifecycle;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Tests.Gateway.Lifecycle;

/// <summary>Records the order of the drain's outside calls, with the fake time of each.</summary>
internal sealed class DrainJournal(FakeTimeProvider clock)
{
    private readonly ConcurrentQueue<(string Step, DateTimeOffset At)> _steps = new();

    public void Add(string step) => _steps.Enqueue((step, clock.GetUtcNow()));

    public string[] Steps => [.. _steps.Select(s => s.Step)];

    public DateTimeOffset At(string step) => _steps.First(s => s.Step == step).At;
}

internal sealed class RecordingListener(DrainJournal journal) : IClientListener
{
    public Task StopAcceptingAsync(CancellationToken cancellationToken)
    {
        journal.Add("stop-accepting");
        return Task.CompletedTask;
    }
}

internal sealed class RecordingPresence(DrainJournal journal) : IGatewayPresence
{
    public bool Draining { get; private set; }

    /// <summary>When set, PublishAsync never completes (ZooKeeper unreachable).</summary>
    public bool HangPublish { get; set; }

    public void MarkDraining()
    {
        Draining = true;
        journal.Add("mark-draining");
    }

    public async Task<MembershipResult> PublishAsync(CancellationToken cancellationToken)
    {
        journal.Add("publish");
        if (HangPublish)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        return MembershipResult.Ok;
    }

    public Task<MembershipResult> DeregisterAsync(CancellationToken cancellationToken)
    {
        journal.Add("deregister");
        return Task.FromResult(MembershipResult.Ok);
    }
}

/// <summary>Records each GoAway; clients in <see cref="Obedient"/> leave as soon as they get theirs.</summary>
internal sealed class RecordingGoAway(FakeTimeProvider clock) : IGoAwaySender
{
    public ConcurrentQueue<(IChannel Channel, DateTimeOffset At, int Within, string Reason)> Sent { get; } = new();

    public Func<IChannel, bool> Obedient { get; set; } = _ => true;

    public void SendGoAway(IChannel channel, int reconnectWithinMs, string reason)
    {
        Sent.Enqueue((channel, clock.GetUtcNow(), reconnectWithinMs, reason));
        if (Obedient(channel))
        {
            channel.CloseAsync();
        }
    }
}
