namespace Chat.Multiplexing.Session;

/// <summary>Which end of a mux connection a session is.</summary>
internal enum MuxRole
{
    /// <summary>The shard: sends Challenge, verifies Hello, accepts Opens.</summary>
    Server,

    /// <summary>The gateway: answers Challenge, verifies HelloOk, opens streams.</summary>
    Client,
}
