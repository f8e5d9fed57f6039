namespace Chat.LoadTest.Scenarios;

/// <summary>How chat clients reach the shards.</summary>
internal enum ChatPath
{
    /// <summary>Through our gateways (TLS unless --tls false), multiplexed onto the shards.</summary>
    Gateways,

    /// <summary>Through HAProxy terminating TLS and routing by couple id to the shards' direct ports.</summary>
    Haproxy,

    /// <summary>Plain TCP straight to the owning shard's direct port.</summary>
    Direct,
}
