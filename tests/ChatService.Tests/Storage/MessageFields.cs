namespace Chat.Tests.ChatService.Storage;

/// <summary>The fields of one message record, as FsCheck generates them.</summary>
public sealed record MessageFields(
    string ClientMsgId, string SenderUserId, string? SenderDeviceId, int Kind, byte[] Body, long ServerTimeMs);
