namespace Chat.LoadTest.Load;

/// <summary>What a worker does with its connections.</summary>
internal enum LoadMode
{
    /// <summary>Connect every device, send at the paced rate for the duration, settle, check.</summary>
    Chat,

    /// <summary>Connect every device, hold them without sending for the duration, check nothing was lost.</summary>
    Idle,

    /// <summary>Connect every device as fast as the concurrency allows, measure, disconnect.</summary>
    Storm,
}
