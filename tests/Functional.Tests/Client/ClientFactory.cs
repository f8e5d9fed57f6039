using System.Net;
using Chat.Client;
using Chat.Tests.Functional.Support;

namespace Chat.Tests.Functional.Client;

/// <summary>ChatClients (the real SDK) for a user of a couple, connected straight to real shards over TCP.</summary>
internal static class ClientFactory
{
    public static ChatClientOptions Options(TestKeys keys, string user, string couple, string device, params IPEndPoint[] shards) => new()
    {
        Endpoints = [.. shards.Select(s => s.ToString())],
        UseTls = false,
        DeviceId = device,
        TokenProvider = _ => ValueTask.FromResult(keys.Token(user, couple)),
        InitialBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromSeconds(1),
        SendTimeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>Connects <paramref name="client"/> within 30 s and returns it.</summary>
    public static async Task<ChatClient> ConnectedAsync(ChatClient client)
    {
        var result = await client.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(ConnectStatus.Connected, result.Status);
        return client;
    }
}
