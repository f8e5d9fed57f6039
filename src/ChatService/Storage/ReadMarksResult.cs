namespace Chat.ChatService.Storage;

/// <summary>Result of <see cref="IChatStore.GetReadMarksAsync"/>.</summary>
/// <param name="Status">Whether <paramref name="Marks"/> is valid.</param>
/// <param name="Marks">Highest read seq by user id; users who never marked anything are absent.</param>
public sealed record ReadMarksResult(StoreStatus Status, IReadOnlyDictionary<string, long> Marks)
{
    internal static ReadMarksResult Of(StoreStatus status) => new(status, new Dictionary<string, long>());
}
