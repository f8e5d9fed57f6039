using DotNetty.Transport.Channels;

namespace Chat.Multiplexing.Session;

/// <summary>What a server-side session needs beyond the options: the stream pipeline, admission and the live-session registry.</summary>
internal sealed class MuxServerContext(
    MuxServerOptions options,
    IChannelHandler streamInitializer,
    Func<MuxOpenRequest, MuxAdmission>? admission,
    Action<MuxSession, bool> onSessionActiveChanged)
{
    public MuxServerOptions Options { get; } = options;

    public IChannelHandler StreamInitializer { get; } = streamInitializer;

    public Func<MuxOpenRequest, MuxAdmission>? Admission { get; } = admission;

    /// <summary>Called with true when a session becomes active, false when it ends.</summary>
    public Action<MuxSession, bool> OnSessionActiveChanged { get; } = onSessionActiveChanged;
}
