using Chat.Multiplexing;
using Chat.Tests.Multiplexing.Support;
using DotNetty.Transport.Channels;

namespace Chat.Tests.Multiplexing;

public class OptionsTests
{
    private static MuxServerOptions Valid() => new() { ShardId = "s", Keys = TestKeys.Cluster() };

    [Fact]
    public void Defaults_with_keys_and_ids_are_valid()
    {
        Valid().Validate();
        new MuxClientOptions { GatewayId = "g", Keys = TestKeys.Cluster() }.Validate();
    }

    public static TheoryData<string, Action<MuxServerOptions>> BadValues => new()
    {
        { "Keys", o => o.Keys = null },
        { "ShardId", o => o.ShardId = "" },
        { "InitialStreamWindow", o => o.InitialStreamWindow = 0 },
        { "MaxFramePayload", o => o.MaxFramePayload = 100 },
        { "MaxStreams", o => o.MaxStreams = 0 },
        { "HandshakeTimeout", o => o.HandshakeTimeout = TimeSpan.Zero },
        { "PingTimeout", o => o.PingTimeout = TimeSpan.Zero },
        { "water marks", o => o.StreamWriteLowWaterMark = o.StreamWriteHighWaterMark + 1 },
        { "MaxQueuedBytesPerStream", o => o.MaxQueuedBytesPerStream = 1 },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_bad_value_fails_with_one_line_naming_it(string name, Action<MuxServerOptions> breakIt)
    {
        var options = Valid();
        breakIt(options);

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Pings_can_be_turned_off() => Valid().Apply(o => o.PingInterval = TimeSpan.Zero).Validate();

    [Fact]
    public void The_server_refuses_a_stream_handler_that_is_not_sharable() =>
        Assert.Throws<ArgumentException>(() => new MuxServerInitializer(Valid(), new RecordingHandler()));

    [Fact]
    public void The_server_refuses_invalid_options() =>
        Assert.Throws<ArgumentException>(() => new MuxServerInitializer(new MuxServerOptions(), new ActionChannelInitializer<IChannel>(_ => { })));
}

internal static class OptionsExtensions
{
    public static T Apply<T>(this T options, Action<T> change)
    {
        change(options);
        return options;
    }
}
