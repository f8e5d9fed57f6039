using Chat.LoadTest.Cluster;

namespace Chat.Tests.LoadTest.Cluster;

/// <summary>Prometheus text sums, /proc status parsing, connect-string ports, server folders.</summary>
public class ClusterPartsTests
{
    private const string Metrics = """
        # HELP chat_gateway_chat_gateway_streams_rehomed Streams re-opened
        # TYPE chat_gateway_chat_gateway_streams_rehomed counter
        chat_gateway_chat_gateway_streams_rehomed{cause="moved"} 12
        chat_gateway_chat_gateway_streams_rehomed{cause="not_owner"} 3
        chat_gateway_chat_gateway_streams_rehomed_other 100
        chat_gateway_tls_chat_gateway_tls_handshakes{outcome="ok",resumed="true"} 4
        chat_gateway_tls_chat_gateway_tls_handshakes{outcome="ok",resumed="false"} 6.5e1
        chat_gateway_chat_gateway_connections 2000
        system_net_security_total_tls_handshakes 1201
        """;

    [Fact]
    public void Metric_sums_match_the_name_suffix_and_an_optional_label()
    {
        Assert.Equal(15, AdminClient.SumMetric(Metrics, "streams_rehomed"));
        Assert.Equal(69 + 1201, AdminClient.SumMetric(Metrics, "tls_handshakes"));
        Assert.Equal(69, AdminClient.SumMetric(Metrics, "chat_gateway_tls_handshakes"));
        Assert.Equal(4, AdminClient.SumMetric(Metrics, "tls_handshakes", "resumed=\"true\""));
        Assert.Equal(2000, AdminClient.SumMetric(Metrics, "chat_gateway_connections"));
        Assert.Equal(0, AdminClient.SumMetric(Metrics, "missing"));
        Assert.Equal(0, AdminClient.SumMetric("garbage {{{ \n\n#", "garbage"));
    }

    [Fact]
    public void VmRSS_is_read_in_bytes()
    {
        Assert.Equal(123_456L * 1024, ProcessMemory.ParseVmRss("Name:\tdotnet\nVmPeak:\t 999 kB\nVmRSS:\t  123456 kB\nThreads: 9\n"));
        Assert.Null(ProcessMemory.ParseVmRss("Name: x\n"));
        Assert.Null(ProcessMemory.ParseVmRss("VmRSS: lots kB\n"));
        Assert.True(ProcessMemory.RssBytes(Environment.ProcessId) > 0);
    }

    [Fact]
    public void Ports_come_from_every_host_of_a_connect_string()
    {
        Assert.Equal([2181, 2182, 2183], ExternalServers.Ports("127.0.0.1:2181,127.0.0.1:2182, localhost:2183/chroot"));
        Assert.Empty(ExternalServers.Ports("nohost"));
    }

    [Fact]
    public void A_server_folder_is_found_by_the_port_it_serves()
    {
        var dir = Directory.CreateTempSubdirectory("servers-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "redis"));
            File.WriteAllText(Path.Combine(dir, "redis", "port"), "14790\n");
            Directory.CreateDirectory(Path.Combine(dir, "bin"));
            var servers = new ExternalServers(dir);
            Assert.Equal(Path.Combine(dir, "redis"), servers.FolderOf(14790));
            Assert.Null(servers.FolderOf(1));
            Assert.Null(new ExternalServers(Path.Combine(dir, "missing")).FolderOf(14790));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
