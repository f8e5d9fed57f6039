using System.Net;
using Chat.Multiplexing;
using DotNetty.Transport.Channels;

namespace Chat.Tests.Multiplexing.Support;

/// <summary>A real gateway-side mux client with its own event loop.</summary>
public sealed class MuxTestClient : IAsyncDisposable
{
    private readonly List<MuxClientConnection> _connections = [];

    public MuxClientOptions Options { get; } = new() { GatewayId = "gw-1", Keys = TestKeys.Cluster() };

    public MuxTestClient Configure(Action<MuxClientOptions> configure)
    {
        configure(Options);
        return this;
    }

    public async Task<MuxConnectResult> TryConnectAsync(IPEndPoint endPoint, string? expectedShardId = null)
    {
        var result = await new MuxClient(Options, TestLoops.Client).ConnectAsync(endPoint, expectedShardId).Within();
        if (result.Connection is not null)
        {
            _connections.Add(result.Connection);
        }

        return result;
    }

    public async Task<MuxClientConnection> ConnectAsync(IPEndPoint endPoint)
    {
        var result = await TryConnectAsync(endPoint);
        Assert.True(result.Status == MuxConnectStatus.Connected, $"{result.Status}: {result.Detail}");
        return result.Connection!;
    }

    public static MuxOpenRequest Request(string coupleId = "couple-1", bool migrated = false, long epoch = 7) =>
        new(coupleId, epoch, "10.1.2.3:4567", new byte[] { 0, 0, 0, 3, 0, 0xA1, 0xA2 }, migrated);

    /// <summary>Opens a stream whose pipeline is one new <see cref="RecordingHandler"/>.</summary>
    public static async Task<RecordingHandler> OpenRecordingAsync(MuxClientConnection connection, MuxOpenRequest? request = null, bool consume = true)
    {
        var handler = new RecordingHandler { Consume = consume };
        var result = await connection.OpenStreamAsync(request ?? Request(), new ActionChannelInitializer<IChannel>(c => c.Pipeline.AddLast(handler))).Within();
        Assert.Equal(MuxOpenStatus.Opened, result.Status);
        await handler.Active.Within();
        return handler;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.CloseAsync().Within();
        }

    }
}
