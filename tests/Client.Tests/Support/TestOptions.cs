using Chat.Client;

namespace Chat.Tests.Client.Support;

/// <summary>Client options for tests: plain TCP, short backoff, no pings, a seeded Random.</summary>
internal static class TestOptions
{
    public static ChatClientOptions For(params string[] endpoints) => new()
    {
        Endpoints = endpoints,
        UseTls = false,
        DeviceId = "phone1",
        TokenProvider = _ => ValueTask.FromResult("token"),
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        MaxBackoff = TimeSpan.FromMilliseconds(100),
        PingInterval = TimeSpan.Zero,
        GapSyncDelay = TimeSpan.FromMilliseconds(200),
        Random = new Random(42),
    };

    /// <summary>Connects and returns once the client reports Connected.</summary>
    public static async Task ConnectAsync(ChatClient client, ServerConnection server, long latestSeq = 0)
    {
        var connect = client.ConnectAsync();
        await server.AcceptAuthAsync(latestSeq: latestSeq);
        var result = await connect.DefaultTimeout();
        Assert.Equal(ConnectStatus.Connected, result.Status);
    }
}
