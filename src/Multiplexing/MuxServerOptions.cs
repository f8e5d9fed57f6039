using Chat.Protocol.Multiplexing;

namespace Chat.Multiplexing;

/// <summary>Options of the shard (accepting) end of mux connections.</summary>
public sealed class MuxServerOptions : MuxSessionOptions
{
    /// <summary>This shard's id, sent in Challenge and HelloOk (required).</summary>
    public string ShardId { get; set; } = "";

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        Require(ShardId.Length is > 0 and <= MuxBodyRules.MaxIdLength, "ShardId is required (1..256 characters)");
    }
}
