using Chat.Cluster.Membership;

namespace Chat.Gateway.Lifecycle;

/// <summary>
/// The gateway's entry in /chat/gateways as the drain needs it; implemented by
/// <see cref="Weights.GatewayPresence"/> over <see cref="GatewayRegistration"/>.
/// </summary>
public interface IGatewayPresence
{
    /// <summary>From now on the published load says draining, weight 0.</summary>
    void MarkDraining();

    /// <summary>Writes the current load now instead of at the next refresh.</summary>
    Task<MembershipResult> PublishAsync(CancellationToken cancellationToken);

    /// <summary>Deletes the node; DNS updaters then drop the gateway entirely.</summary>
    Task<MembershipResult> DeregisterAsync(CancellationToken cancellationToken);
}
