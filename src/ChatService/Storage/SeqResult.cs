namespace Chat.ChatService.Storage;

/// <summary>A seq read from or stored in the store.</summary>
/// <param name="Status">Whether <paramref name="Seq"/> is valid.</param>
/// <param name="Seq">The seq when <see cref="StoreStatus.Ok"/>, else 0.</param>
public readonly record struct SeqResult(StoreStatus Status, long Seq)
{
    internal static SeqResult Of(StoreStatus status) => new(status, 0);
}
