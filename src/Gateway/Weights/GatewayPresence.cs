using Chat.Cluster.Membership;
using Chat.Gateway.Lifecycle;

namespace Chat.Gateway.Weights;

/// <summary>
/// The gateway's node in /chat/gateways as the drain sees it: the registration that publishes
/// the sampler's load, and the sampler's draining switch.
/// </summary>
public sealed class GatewayPresence(GatewayRegistration registration, GatewayLoadSampler sampler) : IGatewayPresence
{
    public void MarkDraining() => sampler.MarkDraining();

    public Task<MembershipResult> PublishAsync(CancellationToken cancellationToken) => registration.PublishAsync(cancellationToken);

    public Task<MembershipResult> DeregisterAsync(CancellationToken cancellationToken) => registration.DeregisterAsync(cancellationToken);
}
