namespace Chat.ChatService.Chat;

/// <summary>Metric tag values for <see cref="EndReason"/>, without an allocation per end.</summary>
internal static class EndReasonNames
{
    public static string Of(EndReason reason) => reason switch
    {
        EndReason.ProtocolError => "protocol-error",
        EndReason.AuthFailed => "auth-failed",
        EndReason.NotOwner => "not-owner",
        EndReason.Moved => "moved",
        EndReason.SlowConsumer => "slow-consumer",
        EndReason.ShuttingDown => "shutting-down",
        _ => "unavailable",
    };
}
