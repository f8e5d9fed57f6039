using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Chat.LoadTest.Cluster;
using Chat.Protocol.Packets;

namespace Chat.LoadTest.Scenarios;

/// <summary>
/// HAProxy for <c>chat --compare</c>: terminates TLS with the cluster's dev certificate and routes
/// each client connection to a shard's direct port by the couple id it reads from the first frame,
/// as /work/shared/bench/haproxy-hash-setvar-capture.cfg does (capture <c>req.payload</c> into a
/// variable). One difference: the variable selects the backend through a map file written from the
/// ring (couple id to owning shard) instead of <c>balance hash</c>, because shards refuse couples
/// they do not own and HAProxy's consistent hash is not our ring. The lookup costs HAProxy about
/// what hashing does; it still has no multiplexing (one shard connection per client).
/// </summary>
internal sealed class HaproxyFront : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private HaproxyFront(ServerProcess process, int port)
    {
        _process = process;
        Endpoint = "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Where clients connect (TLS, server name "localhost").</summary>
    public string Endpoint { get; }

    public int Pid => _process.Pid;

    /// <summary>Starts HAProxy for the given couples; null and a reason when it is missing or does not listen.</summary>
    public static async Task<(HaproxyFront? Front, string? Error)> StartAsync(LocalCluster cluster, string runDir, string name, IReadOnlyDictionary<string, string> coupleOwners, int sampleCoupleLength, CancellationToken cancellationToken)
    {
        var haproxy = new[] { "/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy" }.FirstOrDefault(File.Exists);
        if (haproxy is null)
        {
            return (null, "haproxy is not installed (apt-get install haproxy; scripts/loadtest.sh does it for --compare)");
        }

        var (offset, length) = CoupleIdPosition(sampleCoupleLength);
        var port = FreePort();
        var mapPath = Path.Combine(runDir, name + ".map");
        await File.WriteAllLinesAsync(mapPath, coupleOwners.Select(o => $"{o.Key} be_{o.Value}"), cancellationToken);
        var config = new StringBuilder();
        config.AppendLine(CultureInfo.InvariantCulture, $$"""
            global
                maxconn 9900
                nbthread 1
                ssl-default-bind-options ssl-min-ver TLSv1.2

            defaults
                mode tcp
                maxconn 9900
                timeout connect 5s
                timeout client 1h
                timeout server 1h
                timeout client-fin 30s
                timeout server-fin 30s

            frontend fe_tls
                bind 127.0.0.1:{{port}} ssl crt {{cluster.Secrets.PemBundlePath}}
                tcp-request inspect-delay 5s
                tcp-request content set-var(sess.couple) req.payload({{offset}},{{length}}) if { req.len ge {{offset + length}} }
                tcp-request content accept if { req.len ge {{offset + length}} }
                use_backend %[var(sess.couple),map({{mapPath}},be_none)]

            backend be_none
            """);
        foreach (var shard in cluster.Shards)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"backend be_{shard.Id}\n    server {shard.Id} {shard.Direct}\n");
        }

        var configPath = Path.Combine(runDir, name + ".cfg");
        await File.WriteAllTextAsync(configPath, config.ToString(), cancellationToken);
        var process = ServerProcess.StartExecutable(haproxy, ["-f", configPath, "-db"], name, Path.Combine(runDir, name + ".log"), new Dictionary<string, Regex>());
        var front = new HaproxyFront(process, port);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (process.HasExited)
            {
                break;
            }

            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return (front, null);
            }
            catch (SocketException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        var tail = process.Tail;
        await front.DisposeAsync();
        return (null, $"haproxy did not listen on {port} within 10 s: {tail}");
    }

    /// <summary>
    /// Where the couple id sits in a client's first frame: the token is
    /// <c>v1.&lt;keyId&gt;.&lt;userId&gt;.&lt;coupleId&gt;...</c> and the harness's user ids start with the
    /// couple id, so the couple id starts 6 bytes into the token (key id "k1"). Found by encoding a
    /// sample Auth frame with the client's codec; every couple id of a run has the same length, so
    /// the offset is the same for all.
    /// </summary>
    internal static (int Offset, int Length) CoupleIdPosition(int coupleIdLength)
    {
        var couple = new string('C', coupleIdLength);
        var token = $"v1.k1.{couple}-a.{couple}.1999999999.{new string('S', 43)}";
        var buffer = new ArrayBufferWriter<byte>();
        PacketCodec.Default.Write(new Auth { Token = token, DeviceId = couple + "-a-d0", LastSeq = 0 }, buffer);
        var tokenAt = buffer.WrittenSpan.IndexOf(Encoding.ASCII.GetBytes(token));
        return tokenAt < 0 ? throw new InvalidOperationException("the Auth frame does not carry the token verbatim") : (tokenAt + "v1.k1.".Length, coupleIdLength);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
