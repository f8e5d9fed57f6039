using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Chat.Gateway.Tls;
using Chat.Gateway.Tls.OpenSsl.Interop;
using Xunit.Abstractions;

namespace Chat.Tests.Gateway.Tls;

/// <summary>
/// Hostile input against a running listener with each engine: random bytes, mutated and truncated
/// ClientHellos, garbage after a finished handshake, from several clients at once. A native crash
/// would take the test host down; the checks after the storm are that every connection was closed
/// and released (native SSL objects back to zero for OpenSsl, no active connection, no buffer
/// leak), that memory is back near its baseline, nothing was logged as an error, and a normal
/// client still gets its echo. CHAT_TLS_FUZZ_SECONDS sets the time per engine (default 10 s;
/// e.g. 600 for a long run on demand).
/// </summary>
[Collection("Tls")]
public sealed class TlsFuzzTests(ITestOutputHelper output)
{
    private const int Workers = 8;

    [Theory]
    [InlineData(TlsEngineKind.SslStream)]
    [InlineData(TlsEngineKind.OpenSsl)]
    public async Task Hostile_input_closes_only_its_own_connection_and_leaves_nothing_behind(TlsEngineKind engine)
    {
        TimeSpan duration = TimeSpan.FromSeconds(double.Parse(Environment.GetEnvironmentVariable("CHAT_TLS_FUZZ_SECONDS") ?? "10", CultureInfo.InvariantCulture));
        using var certificates = new TestCertificates();
        certificates.WriteSeparate(TestKeyKind.EcdsaP256);
        using var cts = new CancellationTokenSource(duration + TimeSpan.FromSeconds(90));
        TlsOptions options = TlsTestServer.Options(engine, certificates.CertificatePath, certificates.KeyPath);
        // Short enough that a truncated hello cannot hold its connection for long, long enough that
        // a real handshake on a loaded 2-core machine is never cut (1 s was, under load ~15).
        options.HandshakeTimeout = TimeSpan.FromSeconds(5);
        byte[][] hellos =
        [
            await ClientHelloCapture.CaptureAsync(SslProtocols.Tls13, cts.Token),
            await ClientHelloCapture.CaptureAsync(SslProtocols.Tls12, cts.Token),
        ];
        await using (TlsTestServer server = await TlsTestServer.StartAsync(options))
        {
            // Baseline after a few real connections: pools, JIT and the context are not leaks.
            for (int i = 0; i < 20; i++)
            {
                using TestClient warm = await server.ConnectAsync(SslProtocols.Tls13, cts.Token);
                await warm.EchoAsync("warm"u8.ToArray(), cts.Token);
            }

            await WaitForQuietAsync(server, engine);
            long baseline = ManagedBytes();
            long rssBaseline = RssBytes();

            var stopwatch = Stopwatch.StartNew();
            long[] counts = new long[Enum.GetValues<FuzzCase>().Length];
            await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(
                async () =>
                {
                    var random = new Random(1000 + worker);
                    while (stopwatch.Elapsed < duration)
                    {
                        var kind = (FuzzCase)random.Next(counts.Length);
                        Interlocked.Increment(ref counts[(int)kind]);
                        await RunCaseAsync(server, kind, hellos, random, cts.Token);
                    }
                },
                cts.Token))).WaitAsync(cts.Token);

            await WaitForQuietAsync(server, engine);
            long managed = ManagedBytes();
            long rss = RssBytes();
            output.WriteLine($"{engine}: {string.Join(", ", Enum.GetValues<FuzzCase>().Select(k => $"{k} {counts[(int)k]}"))} in {stopwatch.Elapsed.TotalSeconds:F0} s; managed heap {baseline / 1024} -> {managed / 1024} KB, RSS {rssBaseline / 1024} -> {rss / 1024} KB");

            // Bounds are loose on purpose: the point is "returns", not a figure. The harness itself
            // keeps ~1 KB per connection (every log entry in TestLog, every measurement in the meter
            // recorder; measured ~0.9 KB with both engines over 60 s), allowed for on top.
            long harness = 1536L * counts.Sum();
            Assert.InRange(managed - baseline, long.MinValue, (16L * 1024 * 1024) + harness);
            Assert.InRange(rss - rssBaseline, long.MinValue, (128L * 1024 * 1024) + harness);

            using (TestClient client = await server.ConnectAsync(SslProtocols.Tls13, cts.Token))
            {
                Assert.Equal("after the storm"u8.ToArray(), await client.EchoAsync("after the storm"u8.ToArray(), cts.Token));
            }

            server.Log.AssertNoErrors();
        }

        TestHygiene.AssertClean();
    }

    private enum FuzzCase
    {
        RandomBytes,
        MutatedHello,
        TruncatedHello,
        HelloThenGarbage,
        GarbageAfterHandshake,
        TruncatedRecordAfterHandshake,
    }

    private static async Task RunCaseAsync(TlsTestServer server, FuzzCase kind, byte[][] hellos, Random random, CancellationToken cancellationToken)
    {
        if (kind is FuzzCase.GarbageAfterHandshake or FuzzCase.TruncatedRecordAfterHandshake)
        {
            using TestClient client = await server.ConnectAsync(SslProtocols.Tls13, cancellationToken);
            await client.EchoAsync("ok"u8.ToArray(), cancellationToken);
            byte[] junk = kind == FuzzCase.GarbageAfterHandshake
                ? RandomBytes(random, random.Next(1, 2048))
                : [23, 3, 3, 0x40, 0x00, .. RandomBytes(random, random.Next(0, 100))];

            // Under the TLS layer: the server sees records it cannot authenticate.
            await client.Tcp.GetStream().WriteAsync(junk, cancellationToken);
            await DrainAsync(client.Tcp, random, cancellationToken);
            return;
        }

        byte[] hello = hellos[random.Next(hellos.Length)];
        byte[] payload = kind switch
        {
            FuzzCase.RandomBytes => RandomBytes(random, random.Next(1, 4096)),
            FuzzCase.MutatedHello => Mutate(hello, random),
            FuzzCase.TruncatedHello => hello[..random.Next(1, hello.Length)],
            _ => [.. hello, .. RandomBytes(random, random.Next(1, 512))],
        };
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, server.Port, cancellationToken);
        await tcp.GetStream().WriteAsync(payload, cancellationToken);
        await DrainAsync(tcp, random, cancellationToken);
    }

    /// <summary>Reads what the server answers for a short while (or until it closes), then hangs up, sometimes with a reset.</summary>
    private static async Task DrainAsync(TcpClient tcp, Random random, CancellationToken cancellationToken)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(TimeSpan.FromMilliseconds(random.Next(0, 300)));
        var buffer = new byte[4096];
        try
        {
            while (await tcp.GetStream().ReadAsync(buffer, patience.Token) > 0)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // Our patience ran out, or the server reset: both are fine here.
        }

        if (random.Next(2) == 0)
        {
            tcp.Client.LingerState = new LingerOption(true, 0);
        }
    }

    private static byte[] Mutate(byte[] hello, Random random)
    {
        byte[] copy = (byte[])hello.Clone();
        int flips = random.Next(1, 12);
        for (int i = 0; i < flips; i++)
        {
            int at = random.Next(copy.Length);
            copy[at] = random.Next(3) switch
            {
                0 => (byte)random.Next(256),
                1 => (byte)(copy[at] ^ (1 << random.Next(8))),
                _ => 0xFF,
            };
        }

        return copy;
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static async Task WaitForQuietAsync(TlsTestServer server, TlsEngineKind engine)
    {
        await TlsTestServer.WaitUntilAsync(() => server.Meters.Sum("chat.gateway.tls.connections.active") == 0, "every connection closed", TimeSpan.FromSeconds(30));
        await TlsTestServer.WaitUntilAsync(() => server.Channels.All(c => !c.Open), "every server channel closed", TimeSpan.FromSeconds(30));
        if (engine == TlsEngineKind.OpenSsl)
        {
            await TlsTestServer.WaitUntilAsync(() => NativeHandleCounts.Connections == 0, "every native SSL freed", TimeSpan.FromSeconds(30));
        }

        // The test server keeps every channel it accepted (for its own disposal): closed ones
        // would count as memory held (~2.4 KB each, thousands per run).
        server.Channels.Clear();
    }

    private static long ManagedBytes()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static long RssBytes()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }
}
