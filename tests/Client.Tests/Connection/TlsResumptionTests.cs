using Chat.Client;
using Chat.Client.Connection;
using Chat.Client.Retry;
using Chat.Protocol.Packets;

namespace Chat.Tests.Client.Connection;

/// <summary>ChatClientOptions.TlsResumption reaches the TLS options of every attempt.</summary>
public class TlsResumptionTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_option_sets_AllowTlsResume(bool resumption)
    {
        Assert.True(EndpointAddress.TryParse("localhost:443", out var endpoint));
        var settings = new ConnectSettings(true, null, null, resumption, null, TimeSpan.FromSeconds(1), TimeProvider.System, new JitterSource(new Random(1)), PacketCodec.Default);
        var options = ClientConnection.TlsOptions(endpoint, settings);
        Assert.Equal(resumption, options.AllowTlsResume);
        Assert.Equal("localhost", options.TargetHost);
    }

    [Fact]
    public void Resumption_is_on_by_default() => Assert.True(new ChatClientOptions().TlsResumption);
}
