using Chat.ChatService.Diagnostics;
using Chat.ChatService.Hosting;
using Chat.ChatService.Ownership;
using Chat.ChatService.Storage;
using Chat.Protocol.Security;
using Microsoft.Extensions.Logging;

namespace Chat.ChatService.Chat;

/// <summary>What the chat logic of every connection and couple shares: store, token check, ring ownership, limits, clock, logs, metrics.</summary>
internal sealed class ChatServices(
    IChatStore store,
    TokenVerifier tokens,
    CoupleOwnership ownership,
    ChatLimitsOptions limits,
    TimeProvider time,
    ILogger logger,
    ShardMetrics metrics)
{
    public IChatStore Store => store;

    public TokenVerifier Tokens => tokens;

    public CoupleOwnership Ownership => ownership;

    public ChatLimitsOptions Limits => limits;

    public TimeProvider Time => time;

    public ILogger Logger => logger;

    public ShardMetrics Metrics => metrics;

    /// <summary>Server time for packets, Unix milliseconds.</summary>
    public long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();
}
