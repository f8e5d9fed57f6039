namespace Chat.Cluster.Membership;

/// <summary>A gateway's load as it publishes it.</summary>
/// <param name="Connections">Client connections open now.</param>
/// <param name="Cpu">Process CPU use, 0..1 of the machine (clamped when published).</param>
/// <param name="Weight">Share of new clients asked for; 0 while draining.</param>
/// <param name="Draining">True once the gateway stopped accepting clients.</param>
public readonly record struct GatewayLoad(int Connections, double Cpu, int Weight, bool Draining);
