using System.Net;

namespace Chat.LoadTest.Cluster;

/// <summary>A running shard process of the local cluster and where it listens.</summary>
internal sealed record ShardNode(string Id, ServerProcess Process, IPEndPoint Direct, IPEndPoint Mux, Uri Admin);
