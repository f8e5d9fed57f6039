namespace Chat.Multiplexing;

/// <summary>User event fired in every open stream's pipeline when its mux connection ends; the stream closes right after.</summary>
public sealed record MuxConnectionLostEvent(MuxConnectionLossReason Reason, string Detail);
