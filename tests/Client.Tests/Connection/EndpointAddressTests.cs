using Chat.Client.Connection;

namespace Chat.Tests.Client.Connection;

public class EndpointAddressTests
{
    [Theory]
    [InlineData("chat.example.com:443", "chat.example.com", 443)]
    [InlineData("127.0.0.1:5000", "127.0.0.1", 5000)]
    [InlineData("[::1]:7000", "::1", 7000)]
    [InlineData("h:65535", "h", 65535)]
    public void Valid_endpoints_parse(string text, string host, int port)
    {
        Assert.True(EndpointAddress.TryParse(text, out var address));
        Assert.Equal(new EndpointAddress(host, port), address);
        Assert.Equal(text, address.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("host")]
    [InlineData("host:")]
    [InlineData(":80")]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("host:-1")]
    [InlineData("host:+80")]
    [InlineData("::1:80")]
    [InlineData("[::1]80")]
    [InlineData("[]:80")]
    [InlineData("ho st:80")]
    public void Invalid_endpoints_are_refused(string? text) => Assert.False(EndpointAddress.TryParse(text, out _));
}
