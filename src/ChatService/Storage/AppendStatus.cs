namespace Chat.ChatService.Storage;

/// <summary>Outcome of <see cref="IChatStore.AppendAsync"/>.</summary>
public enum AppendStatus
{
    /// <summary>Stored now under a new seq.</summary>
    Appended,

    /// <summary>Stored earlier: the result carries the original seq and server time; nothing was written.</summary>
    Duplicate,

    /// <summary>An id is empty, too long or has a forbidden character, or the body is over the limit. Nothing was written.</summary>
    Invalid,

    /// <summary>The store did not answer in time or refused for a transient reason. Outcome unknown: retry with the same clientMsgId.</summary>
    Unavailable,

    /// <summary>The store answered with an unexpected error (a bug or inconsistent data; logged). Outcome unknown.</summary>
    Failed,
}
