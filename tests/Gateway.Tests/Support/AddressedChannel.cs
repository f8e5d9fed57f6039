using System.Net;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Embedded;

namespace Chat.Tests.Gateway.Support;

/// <summary>An EmbeddedChannel with a chosen remote address (the stock one has none).</summary>
public sealed class AddressedChannel(EndPoint remote, params IChannelHandler[] handlers) : EmbeddedChannel(handlers)
{
    // Initialized before the base constructor runs, which already fires ChannelActive.
    private readonly EndPoint _remote = remote;

    public static AddressedChannel From(string address, params IChannelHandler[] handlers) =>
        new(new IPEndPoint(IPAddress.Parse(address), 40_000), handlers);

    protected override EndPoint RemoteAddressInternal => Active ? _remote : null!;
}
