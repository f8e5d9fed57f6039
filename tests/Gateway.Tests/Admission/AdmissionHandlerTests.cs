using System.Net;
using Chat.Gateway.Admission;
using Chat.Tests.Gateway.Support;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Embedded;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Tests.Gateway.Admission;

public sealed class AdmissionHandlerTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new();
    private readonly MeterRecorder _meters = new();

    [Fact]
    public void A_refused_connection_is_closed_and_never_seen_behind()
    {
        using var admission = Controller(new AdmissionOptions { MaxConnectionsPerAddress = 1 });
        var first = AddressedChannel.From("198.51.100.7", admission.CreateHandler(), new EventProbe());
        var probe = new EventProbe();
        var second = AddressedChannel.From("198.51.100.7", admission.CreateHandler(), probe);

        Assert.True(first.Active);
        Assert.False(second.Active);
        Assert.Equal(0, probe.Active);
        Assert.Equal(0, probe.Inactive);
        Assert.Equal(1, admission.Count);
        Assert.Single(admission.Snapshot());
        Assert.Equal(1, _meters.Sum("chat.gateway.connections.rejected", ("reason", "max_per_address")));
        first.FinishAndReleaseAll();
    }

    [Fact]
    public async Task Closing_releases_the_slot_and_the_source()
    {
        using var admission = Controller(new AdmissionOptions { MaxConnectionsPerAddress = 1 });
        var probe = new EventProbe();
        var channel = AddressedChannel.From("198.51.100.7", admission.CreateHandler(), probe);
        Assert.Equal(1, probe.Active);

        await channel.CloseAsync().DefaultTimeout();
        Assert.Equal(1, probe.Inactive);
        Assert.Equal(0, admission.Count);
        Assert.Empty(admission.Snapshot());
        Assert.Equal(AdmissionDecision.Admitted, admission.TryAdmit(IPAddress.Parse("198.51.100.7")));
    }

    [Fact]
    public void The_client_hello_is_held_until_its_record_is_complete_then_passed_on_whole()
    {
        using var admission = Controller(new AdmissionOptions());
        var channel = AddressedChannel.From("198.51.100.7", admission.CreateHandler());
        var hello = new ClientHelloBuilder().SessionId(32).OffersTls13().Build();

        Assert.False(channel.WriteInbound(Unpooled.WrappedBuffer(hello, 0, 3)));
        Assert.False(channel.WriteInbound(Unpooled.WrappedBuffer(hello, 3, 40)));
        Assert.True(channel.WriteInbound(Unpooled.WrappedBuffer(hello, 43, hello.Length - 43)));
        var passed = channel.ReadInbound<IByteBuffer>();
        Assert.Equal(hello, ReadAll(passed));

        // Later bytes pass straight through.
        Assert.True(channel.WriteInbound(Unpooled.WrappedBuffer([23, 3, 3, 0, 1, 0])));
        channel.ReadInbound<IByteBuffer>().Release();
        Assert.Equal(1, _meters.Sum("chat.gateway.handshakes.admission", ("kind", "full"), ("outcome", "admitted")));
        channel.FinishAndReleaseAll();
    }

    [Fact]
    public void A_full_handshake_over_budget_is_closed_before_the_TLS_handler_sees_it_and_a_resumption_still_gets_in()
    {
        using var admission = Controller(new AdmissionOptions { FullHandshakesPerSecond = 1, HandshakeBurst = 1, ResumedReserve = 0, ResumedCost = 0.01 });
        var full = new ClientHelloBuilder().SessionId(32).OffersTls13().Build();
        var resumption = new ClientHelloBuilder().SessionId(32).OffersTls13().PreSharedKey().Build();

        var first = AddressedChannel.From("198.51.100.1", admission.CreateHandler());
        Assert.True(first.WriteInbound(Unpooled.WrappedBuffer(full)));
        first.ReadInbound<IByteBuffer>().Release();

        var probe = new EventProbe();
        var second = AddressedChannel.From("198.51.100.2", admission.CreateHandler(), probe);
        Assert.False(second.WriteInbound(Unpooled.WrappedBuffer(full)));
        Assert.False(second.Active);
        Assert.Equal(0, probe.Reads);
        Assert.Equal(1, _meters.Sum("chat.gateway.connections.rejected", ("reason", "handshake_rate")));

        // The bucket is below one token, but resumptions cost less.
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        var third = AddressedChannel.From("198.51.100.3", admission.CreateHandler());
        Assert.True(third.WriteInbound(Unpooled.WrappedBuffer(resumption)));
        third.ReadInbound<IByteBuffer>().Release();
        Assert.Equal(2, admission.Count);
        first.FinishAndReleaseAll();
        third.FinishAndReleaseAll();
    }

    [Fact]
    public void Bytes_that_are_not_TLS_pass_without_taking_a_token()
    {
        using var admission = Controller(new AdmissionOptions { FullHandshakesPerSecond = 1, HandshakeBurst = 1, ResumedReserve = 0 });
        for (var i = 0; i < 3; i++)
        {
            var channel = AddressedChannel.From("198.51.100.1", admission.CreateHandler());
            Assert.True(channel.WriteInbound(Unpooled.WrappedBuffer("GET / HTTP/1.1\r\n"u8.ToArray())));
            channel.ReadInbound<IByteBuffer>().Release();
            channel.FinishAndReleaseAll();
        }

        Assert.Equal(0, _meters.Sum("chat.gateway.handshakes.admission"));
    }

    [Fact]
    public void A_connection_quiet_in_both_directions_for_the_idle_timeout_is_closed()
    {
        using var admission = Controller(new AdmissionOptions { IdleTimeout = TimeSpan.FromMinutes(5) });
        var channel = AddressedChannel.From("198.51.100.7", admission.CreateHandler());

        _clock.Advance(TimeSpan.FromMinutes(4));
        channel.WriteInbound(Unpooled.WrappedBuffer([23, 3, 3, 0, 1, 0]));
        channel.RunPendingTasks();
        _clock.Advance(TimeSpan.FromMinutes(2));
        channel.RunPendingTasks();
        Assert.True(channel.Active, "a read 2 minutes ago keeps it open");

        _clock.Advance(TimeSpan.FromMinutes(2));
        channel.WriteOutbound(Unpooled.WrappedBuffer([1]));
        channel.RunPendingTasks();
        _clock.Advance(TimeSpan.FromMinutes(4));
        channel.RunPendingTasks();
        Assert.True(channel.Active, "a write 4 minutes ago keeps it open");

        _clock.Advance(TimeSpan.FromMinutes(1));
        channel.RunPendingTasks();
        Assert.False(channel.Active);
        Assert.Equal(0, admission.Count);
        Assert.Equal(1, _meters.Sum("chat.gateway.connections.idle_closed"));
        channel.FinishAndReleaseAll();
    }

    [Fact]
    public void An_idle_timeout_of_zero_never_closes()
    {
        using var admission = Controller(new AdmissionOptions { IdleTimeout = TimeSpan.Zero });
        var channel = AddressedChannel.From("198.51.100.7", admission.CreateHandler());
        _clock.Advance(TimeSpan.FromDays(3));
        channel.RunPendingTasks();
        Assert.True(channel.Active);
        channel.FinishAndReleaseAll();
    }

    [Fact]
    public void A_channel_without_an_IP_address_counts_only_towards_the_total()
    {
        using var admission = Controller(new AdmissionOptions { MaxConnectionsPerAddress = 1 });
        var a = new EmbeddedChannel(admission.CreateHandler());
        var b = new EmbeddedChannel(admission.CreateHandler());
        Assert.True(a.Active && b.Active);
        Assert.Equal(2, admission.Count);
        a.FinishAndReleaseAll();
        b.FinishAndReleaseAll();
        Assert.Equal(0, admission.Count);
    }

    public void Dispose() => _meters.Dispose();

    private static byte[] ReadAll(IByteBuffer buffer)
    {
        var bytes = new byte[buffer.ReadableBytes];
        buffer.ReadBytes(bytes);
        buffer.Release();
        return bytes;
    }

    private AdmissionController Controller(AdmissionOptions options) => new(options, _clock, _meters);

    /// <summary>Counts what reaches the handler after admission.</summary>
    private sealed class EventProbe : ChannelHandlerAdapter
    {
        public int Active { get; private set; }

        public int Inactive { get; private set; }

        public int Reads { get; private set; }

        public override void ChannelActive(IChannelHandlerContext context)
        {
            Active++;
            context.FireChannelActive();
        }

        public override void ChannelInactive(IChannelHandlerContext context)
        {
            Inactive++;
            context.FireChannelInactive();
        }

        public override void ChannelRead(IChannelHandlerContext context, object message)
        {
            Reads++;
            context.FireChannelRead(message);
        }
    }
}
