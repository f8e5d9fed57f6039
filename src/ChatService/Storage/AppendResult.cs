namespace Chat.ChatService.Storage;

/// <summary>Result of <see cref="IChatStore.AppendAsync"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Seq">The message's seq when <see cref="IsStored"/>, else 0.</param>
/// <param name="ServerTimeMs">The stored server time when <see cref="IsStored"/> (the original one for a duplicate), else 0.</param>
public readonly record struct AppendResult(AppendStatus Status, long Seq, long ServerTimeMs)
{
    /// <summary>True when the message is durably in the log and may be acknowledged.</summary>
    public bool IsStored => Status is AppendStatus.Appended or AppendStatus.Duplicate;

    internal static AppendResult Of(AppendStatus status) => new(status, 0, 0);
}
