using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Chat.Benchmarks.Tls;

/// <summary>
/// The anchor in the same run: HAProxy 2.6 (`apt-get install haproxy`), mode tcp, terminating TLS
/// with the same certificate and relaying to a plain echo child, as in
/// /work/shared/bench/haproxy-idle-ec.cfg. Several instances share the port (SO_REUSEPORT, HAProxy's
/// default) so 10,000 clients fit under the 20,000 open files each process may have: HAProxy holds
/// two sockets per client (client and backend), which its figures include.
/// </summary>
internal sealed class HaProxyServer : IBenchServer
{
    private readonly List<Process> _instances;
    private readonly ServerProcess _echo;

    private HaProxyServer(List<Process> instances, ServerProcess echo, int port)
    {
        _instances = instances;
        _echo = echo;
        Port = port;
    }

    public int Port { get; }

    /// <param name="serverCpu">HAProxy's CPU (taskset); the echo backend goes to the other one.</param>
    public static HaProxyServer Start(BenchCertificate certificate, int instances, int? serverCpu)
    {
        int? echoCpu = serverCpu is null ? null : (serverCpu.Value + 1) % Environment.ProcessorCount;
        ServerProcess echo = ServerProcess.Start("plain-echo", certificate, echoCpu);
        string pem = Path.Combine(certificate.Directory, "haproxy.pem");
        File.WriteAllText(pem, File.ReadAllText(certificate.CertificatePath) + "\n" + File.ReadAllText(certificate.KeyPath));
        int port = FreePort();
        string config = Path.Combine(certificate.Directory, "haproxy.cfg");
        File.WriteAllText(config, string.Join('\n',
            "global",
            "    maxconn 9900",
            "    nbthread 1",
            "    ssl-default-bind-options ssl-min-ver TLSv1.2",
            "defaults",
            "    mode tcp",
            "    maxconn 9900",
            "    timeout connect 5s",
            "    timeout client 1h",
            "    timeout server 1h",
            "frontend fe_tls",
            $"    bind 127.0.0.1:{port} ssl crt {pem}",
            "    default_backend be_echo",
            "backend be_echo",
            $"    server echo 127.0.0.1:{echo.Port}",
            ""));
        var processes = new List<Process>();
        for (int i = 0; i < instances; i++)
        {
            var start = new ProcessStartInfo(serverCpu is null ? "haproxy" : "/usr/bin/taskset") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            if (serverCpu is not null)
            {
                start.ArgumentList.Add("-c");
                start.ArgumentList.Add(serverCpu.Value.ToString(CultureInfo.InvariantCulture));
                start.ArgumentList.Add("haproxy");
            }

            foreach (string argument in new[] { "-f", config, "-db" })
            {
                start.ArgumentList.Add(argument);
            }

            processes.Add(Process.Start(start)!);
        }

        WaitListening(port);
        return new HaProxyServer(processes, echo, port);
    }

    public Task<(long Heap, long Rss)> MeasureAsync() =>
        Task.FromResult((0L, _instances.Sum(p => ReadRss(p.Id))));

    public Task<(long Full, long Resumed)> StatsAsync() => Task.FromResult((-1L, -1L));

    public TimeSpan ProcessorTime() => _instances.Aggregate(TimeSpan.Zero, (sum, p) =>
    {
        p.Refresh();
        return sum + p.TotalProcessorTime;
    });

    public void Dispose()
    {
        foreach (Process process in _instances)
        {
            process.Kill();
            process.WaitForExit(5000);
            process.Dispose();
        }

        _echo.Dispose();
    }

    private static long ReadRss(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private static void WaitListening(int port)
    {
        for (int i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new InvalidOperationException("haproxy did not start listening (is it installed? apt-get install haproxy)");
    }
}
