namespace Chat.Gateway.Weights;

/// <summary>One element of GET /admin/weights.</summary>
/// <param name="Id">Gateway id.</param>
/// <param name="Host">Public host or address clients connect to.</param>
/// <param name="Port">Public TLS port.</param>
/// <param name="Weight">Published weight; 0 while draining.</param>
/// <param name="Connections">Open client connections.</param>
/// <param name="Cpu">Process CPU, 0..1 of the machine.</param>
/// <param name="Draining">True once the gateway stopped accepting.</param>
/// <param name="AdminUrl">Its admin endpoint, if published.</param>
public sealed record GatewayWeight(string Id, string Host, int Port, int Weight, int Connections, double Cpu, bool Draining, string? AdminUrl);
