namespace Chat.Cluster.Membership;

/// <summary>One gateway of /chat/gateways as last read: its id and its published data.</summary>
public sealed record GatewayEntry(string Id, GatewayNodeData Data);
