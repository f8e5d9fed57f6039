namespace Chat.Client;

/// <summary>A snapshot of what the client has been through, for load harnesses and metrics.</summary>
/// <param name="Reconnects">Connections authenticated after the first one.</param>
/// <param name="Resyncs">ResyncHint packets received.</param>
/// <param name="GapsDetected">Times a seq gap was seen (live message above LastSeq + 1, or an own Ack whose predecessors did not arrive in time).</param>
/// <param name="SendsRetried">Send packets written again with an id already written once (after a reconnect, ResyncHint, RateLimited or Unavailable).</param>
/// <param name="SyncRequests">Sync packets written by the client for gaps, reconnects and hints (not <see cref="ChatClient.SyncAsync"/>).</param>
/// <param name="MessagesDelivered">Messages handed to the app through <see cref="ChatClient.MessageReceived"/>.</param>
public readonly record struct ChatClientCounters(long Reconnects, long Resyncs, long GapsDetected, long SendsRetried, long SyncRequests, long MessagesDelivered);
