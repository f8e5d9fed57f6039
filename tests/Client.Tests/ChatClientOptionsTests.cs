using Chat.Client;

namespace Chat.Tests.Client;

public class ChatClientOptionsTests
{
    private static ChatClientOptions Valid() => new()
    {
        Endpoints = ["gw.example.com:443"],
        DeviceId = "phone1",
        TokenProvider = _ => ValueTask.FromResult("t"),
    };

    [Fact]
    public void Defaults_with_the_required_fields_are_valid() => Assert.Null(Valid().Validate());

    [Fact]
    public void Each_problem_is_named_in_one_line()
    {
        Assert.Contains("Endpoints", new ChatClientOptions { DeviceId = "d", TokenProvider = _ => default }.Validate());
        Assert.Contains("'nope'", (Valid() with { Endpoints = ["nope"] }).Validate());
        Assert.Contains("TokenProvider", (Valid() with { TokenProvider = null }).Validate());
        Assert.Contains("DeviceId", (Valid() with { DeviceId = "bad id" }).Validate());
        Assert.Contains("StartAfterSeq", (Valid() with { StartAfterSeq = -2 }).Validate());
        Assert.Contains("MaxBackoff", (Valid() with { MaxBackoff = TimeSpan.FromMilliseconds(1) }).Validate());
        Assert.Contains("ConnectTimeout", (Valid() with { ConnectTimeout = TimeSpan.Zero }).Validate());
        Assert.Contains("MaxInFlightSends", (Valid() with { MaxInFlightSends = 0 }).Validate());
        Assert.Contains("SendTimeout", (Valid() with { SendTimeout = TimeSpan.FromSeconds(-2) }).Validate());
        Assert.Null((Valid() with { SendTimeout = Timeout.InfiniteTimeSpan }).Validate());
        Assert.Contains("MaxFrameLength", (Valid() with { Frames = new Chat.Protocol.Framing.FrameOptions { MaxFrameLength = 1 } }).Validate());
    }

    [Fact]
    public void The_client_refuses_invalid_options()
    {
        var error = Assert.Throws<ArgumentException>(() => new ChatClient(Valid() with { DeviceId = "" }));
        Assert.Contains("DeviceId", error.Message);
    }
}
