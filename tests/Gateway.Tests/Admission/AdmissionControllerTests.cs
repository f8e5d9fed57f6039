using System.Net;
using Chat.Gateway.Admission;
using Chat.Tests.Gateway.Support;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Tests.Gateway.Admission;

public sealed class AdmissionControllerTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly MeterRecorder _meters = new();

    [Fact]
    public void Refuses_above_the_total_and_admits_again_after_a_release()
    {
        using var admission = Controller(new AdmissionOptions { MaxConnections = 3, MaxConnectionsPerAddress = 0 });
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(AdmissionDecision.Admitted, admission.TryAdmit(IPAddress.Parse($"10.0.0.{i}")));
        }

        Assert.Equal(AdmissionDecision.TooManyConnections, admission.TryAdmit(IPAddress.Parse("10.0.0.9")));
        Assert.Equal(3, admission.Count);
        admission.Release(IPAddress.Parse("10.0.0.2"));
        Assert.Equal(AdmissionDecision.Admitted, admission.TryAdmit(IPAddress.Parse("10.0.0.9")));
        Assert.Equal(1, _meters.Sum("chat.gateway.connections.rejected", ("reason", "max_connections")));
        Assert.Equal(4, _meters.Sum("chat.gateway.connections.accepted"));
        Assert.Equal(3, _meters.Observe("chat.gateway.connections"));
    }

    [Fact]
    public void Counts_each_source_on_its_own_with_mapped_IPv4_as_IPv4()
    {
        using var admission = Controller(new AdmissionOptions { MaxConnectionsPerAddress = 2 });
        var a = IPAddress.Parse("192.0.2.1");
        Assert.Equal(AdmissionDecision.Admitted, admission.TryAdmit(a));
        Assert.Equal(AdmissionDecision.Admitted, admission.TryAdmit(a.MapToIPv6()));
        Assert.Equal(AdmissionDecision.TooManyFromAddress, admission.TryAdmit(a));
        Assert.Equal(AdmissionDecision.Admitted, admission.TryAdmit(IPAddress.Parse("192.0.2.2")));

        admission.Release(a.MapToIPv6());
        Assert.Equal(AdmissionDecision.Admitted, admission.TryAdmit(a));
        Assert.Equal(1, _meters.Sum("chat.gateway.connections.rejected", ("reason", "max_per_address")));
    }

    [Fact]
    public void Counts_IPv6_per_prefix()
    {
        using var admission = Controller(new AdmissionOptions { MaxConnectionsPerAddress = 2, IPv6PrefixLength = 64 });
        Assert.Equal(AdmissionDecision.Admitted, admission.TryAdmit(IPAddress.Parse("2001:db8:1:2::1")));
        Assert.Equal(AdmissionDecision.Admitted, admission.TryAdmit(IPAddress.Parse("2001:db8:1:2:ffff::9")));
        Assert.Equal(AdmissionDecision.TooManyFromAddress, admission.TryAdmit(IPAddress.Parse("2001:db8:1:2:abcd::1")));
        Assert.Equal(AdmissionDecision.Admitted, admission.TryAdmit(IPAddress.Parse("2001:db8:1:3::1")));

        Assert.Equal(IPAddress.Parse("2001:db8:1:2::"), AdmissionController.AddressKey(IPAddress.Parse("2001:db8:1:2:ffff::9"), 64));
        Assert.Equal(IPAddress.Parse("2001:db8:1:2:ff00::"), AdmissionController.AddressKey(IPAddress.Parse("2001:db8:1:2:ffff::9"), 72));
        Assert.Equal(IPAddress.Parse("2001:db8::"), AdmissionController.AddressKey(IPAddress.Parse("2001:db9::"), 31));
    }

    [Fact]
    public void Unknown_sources_only_count_towards_the_total()
    {
        using var admission = Controller(new AdmissionOptions { MaxConnections = 5, MaxConnectionsPerAddress = 1 });
        Assert.Equal(AdmissionDecision.Admitted, admission.TryAdmit(null));
        Assert.Equal(AdmissionDecision.Admitted, admission.TryAdmit(null));
        admission.Release(null);
        Assert.Equal(1, admission.Count);
    }

    [Fact]
    public void Refuses_everyone_once_stopped_and_remembers_the_last_admission()
    {
        using var admission = Controller(new AdmissionOptions());
        Assert.Null(admission.LastAcceptedAt);
        admission.TryAdmit(IPAddress.Loopback);
        Assert.Equal(_clock.GetUtcNow(), admission.LastAcceptedAt);

        admission.StopAdmitting();
        Assert.False(admission.IsAdmitting);
        Assert.Equal(AdmissionDecision.Draining, admission.TryAdmit(IPAddress.Loopback));
        Assert.Equal(1, _meters.Sum("chat.gateway.connections.rejected", ("reason", "draining")));
    }

    [Fact]
    public void Handshake_decisions_are_counted_by_kind_and_outcome()
    {
        using var admission = Controller(new AdmissionOptions { FullHandshakesPerSecond = 1, HandshakeBurst = 2, ResumedReserve = 0.5, ResumedCost = 0.5 });
        Assert.True(admission.TryAdmitHandshake(HandshakeKind.Full));
        Assert.False(admission.TryAdmitHandshake(HandshakeKind.Full));
        Assert.True(admission.TryAdmitHandshake(HandshakeKind.Resumption));
        Assert.Equal(1, _meters.Sum("chat.gateway.handshakes.admission", ("kind", "full"), ("outcome", "admitted")));
        Assert.Equal(1, _meters.Sum("chat.gateway.handshakes.admission", ("kind", "full"), ("outcome", "rejected")));
        Assert.Equal(1, _meters.Sum("chat.gateway.handshakes.admission", ("kind", "resumption"), ("outcome", "admitted")));
        Assert.Equal(1, _meters.Sum("chat.gateway.connections.rejected", ("reason", "handshake_rate")));
    }

    [Theory]
    [InlineData(-1, 0, 64, 500, 500, 0.2, 0.25, 300)]
    [InlineData(0, -1, 64, 500, 500, 0.2, 0.25, 300)]
    [InlineData(0, 0, 0, 500, 500, 0.2, 0.25, 300)]
    [InlineData(0, 0, 64, -1, 500, 0.2, 0.25, 300)]
    [InlineData(0, 0, 64, 500, 0.5, 0.2, 0.25, 300)]
    [InlineData(0, 0, 64, 500, 1, 0.2, 0.25, 300)]
    [InlineData(0, 0, 64, 500, 500, 1, 0.25, 300)]
    [InlineData(0, 0, 64, 500, 500, 0.2, 0, 300)]
    [InlineData(0, 0, 64, 500, 500, 0.2, 0.25, 0.5)]
    public void Bad_options_are_refused_with_a_line_naming_them(
        int max, int perAddress, int prefix, double rate, double burst, double reserve, double cost, double idleSeconds)
    {
        var options = new AdmissionOptions
        {
            MaxConnections = max,
            MaxConnectionsPerAddress = perAddress,
            IPv6PrefixLength = prefix,
            FullHandshakesPerSecond = rate,
            HandshakeBurst = burst,
            ResumedReserve = reserve,
            ResumedCost = cost,
            IdleTimeout = TimeSpan.FromSeconds(idleSeconds),
        };
        var error = options.Validate();
        Assert.NotNull(error);
        Assert.StartsWith("Limits:", error, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new AdmissionController(options));
    }

    [Fact]
    public void Defaults_are_valid() => Assert.Null(new AdmissionOptions().Validate());

    public void Dispose() => _meters.Dispose();

    private AdmissionController Controller(AdmissionOptions options) => new(options, _clock, _meters);
}
