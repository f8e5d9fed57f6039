using Chat.Protocol.Multiplexing;

namespace Chat.Multiplexing;

/// <summary>Options of the gateway (connecting) end of mux connections.</summary>
public sealed class MuxClientOptions : MuxSessionOptions
{
    /// <summary>This gateway's id, sent in Hello (required).</summary>
    public string GatewayId { get; set; } = "";

    /// <summary>Time allowed for the TCP connect. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        Require(GatewayId.Length is > 0 and <= MuxBodyRules.MaxIdLength, "GatewayId is required (1..256 characters)");
        Require(ConnectTimeout > TimeSpan.Zero, "ConnectTimeout must be positive");
    }
}
