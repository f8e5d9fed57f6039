using System.Net;
using Chat.Gateway.Admission;
using Chat.Tests.Gateway.Support;

namespace Chat.Tests.Gateway.Admission;

/// <summary>The admission instruments reach GET /metrics of a real admin host (prometheus-net's meter adapter).</summary>
public sealed class AdmissionMetricsExportTests
{
    [Fact]
    public async Task Rejections_and_open_connections_are_in_the_Prometheus_text()
    {
        await using var host = await AdminHost.StartAsync(_ => { });
        using var http = new HttpClient { BaseAddress = host.Address, Timeout = Eventually.Bound };

        // prometheus-net connects its meter adapter at the first collection; counts made before
        // it are not seen (docs/operations.md: the process collects once at start).
        await http.GetStringAsync("/metrics");
        using var admission = new AdmissionController(new AdmissionOptions { MaxConnections = 1 });
        admission.TryAdmit(IPAddress.Loopback);
        admission.TryAdmit(IPAddress.Loopback);
        var text = "";
        Assert.True(await Eventually.TrueAsync(() =>
        {
            text = http.GetStringAsync("/metrics").GetAwaiter().GetResult();
            return text.Contains("chat_gateway_chat_gateway_connections_rejected", StringComparison.Ordinal);
        }), text);
        // prometheus-net prefixes the meter name ("Chat.Gateway") to the instrument name.
        // Other test classes' meters share the name and may add to the same series: names only.
        var lines = text.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("chat_gateway_chat_gateway_connections_rejected{reason=\"max_connections\"} ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("chat_gateway_chat_gateway_connections_accepted ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("chat_gateway_chat_gateway_connections ", StringComparison.Ordinal));
    }
}
