using System.Net;

namespace Chat.LoadTest.Cluster;

/// <summary>A running gateway process of the local cluster and where it listens.</summary>
internal sealed record GatewayNode(string Id, ServerProcess Process, IPEndPoint Clients, Uri Admin);
