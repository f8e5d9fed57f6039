namespace Chat.Cluster.Membership;

/// <summary>Data of /chat/gateways/&lt;gatewayId&gt;, refreshed by the gateway: where it listens and how loaded it is.</summary>
/// <param name="Host">Public host name or address clients connect to.</param>
/// <param name="Port">Public TLS port.</param>
/// <param name="AdminUrl">Base URL of the admin HTTP endpoint, if any.</param>
/// <param name="Connections">Client connections open now.</param>
/// <param name="Cpu">Process CPU use over the last interval, 0..1 of the machine.</param>
/// <param name="Weight">Share of new clients the gateway asks for (0 while draining).</param>
/// <param name="Draining">True once the gateway stopped accepting clients.</param>
public sealed record GatewayNodeData(string Host, int Port, string? AdminUrl, int Connections, double Cpu, int Weight, bool Draining);
