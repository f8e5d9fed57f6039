using System.Diagnostics;
using System.Globalization;
using System.Security.Authentication;
using System.Security.Cryptography;

namespace Chat.Benchmarks.Tls;

/// <summary>
/// Console figures for the TLS edge, each server in processes of its own, the gateway's engines
/// measured in the same run as the anchors (HAProxy, plain SslStream, DotNetty's stock TlsHandler):
/// <code>
///   dotnet run -c Release --project benchmarks -- tls-idle 10000 [--engine openssl|sslstream | --servers openssl,own,haproxy,sslstream,stock] [--runs 3] [--tls12]
///   dotnet run -c Release --project benchmarks -- tls-handshakes 5 [--engine ...|--servers ...] [--runs 3] [--concurrency 8] [--resume] [--tls12] [--rsa]
///   dotnet run -c Release --project benchmarks -- tls-cross-resume 2000 [--runs 3] [--tls12]
/// </code>
/// Servers: "openssl" = DotNetty + the OpenSsl engine, "own" = DotNetty + the SslStream engine
/// (<c>--engine sslstream</c>), "haproxy" = HAProxy 2.6 terminating TLS in front of a plain echo.
/// tls-idle: managed heap (after full GCs) and RSS of the server's processes per idle connection
/// (each sent one 100-byte frame), after minus before, divided by N; clients in child processes.
/// tls-handshakes: handshake + one 100-byte echo per connection for the given seconds; the server
/// pinned to the last CPU with one event-loop thread (HAProxy: nbthread 1), the clients on the
/// others; server CPU per handshake from its processes' CPU time. --resume: clients resume.
/// tls-cross-resume: N reconnections alternating between two OpenSsl "gateways" that share a ticket
/// key file, and between two with per-process keys; the share of handshakes that resumed.
/// </summary>
internal static class TlsFigures
{
    public static async Task<int> RunAsync(string[] args)
    {
        switch (args[0])
        {
            case "tls-serve":
                return await TlsBenchServers.RunAsync(args[1], args[2]);
            case "tls-idle-clients":
                return await TlsIdleClients.RunChildAsync(args);
        }

        string[] servers = (Option(args, "--engine", "") switch
        {
            "openssl" => "openssl",
            "sslstream" => "own",
            "" => Option(args, "--servers", "openssl,own,haproxy"),
            string other => throw new ArgumentException($"--engine openssl|sslstream, not {other}"),
        }).Split(',');
        if (args[0] == "tls-cross-resume")
        {
            servers = ["shared-keys", "own-keys"];
        }

        int runs = int.Parse(Option(args, "--runs", "1"), CultureInfo.InvariantCulture);
        SslProtocols protocol = args.Contains("--tls12") ? SslProtocols.Tls12 : SslProtocols.Tls13;
        bool resume = args.Contains("--resume");
        using var certificate = new BenchCertificate(rsa: args.Contains("--rsa"));
        var results = servers.ToDictionary(s => s, _ => new List<double[]>());
        for (int run = 0; run < runs; run++)
        {
            foreach (string server in servers)
            {
                double[] figures = args[0] switch
                {
                    "tls-idle" => await IdleAsync(server, Positional(args, 10_000), protocol, certificate),
                    "tls-handshakes" => await HandshakesAsync(server, Positional(args, 5), int.Parse(Option(args, "--concurrency", "8"), CultureInfo.InvariantCulture), protocol, resume, certificate),
                    "tls-cross-resume" => await CrossResumeAsync(server == "shared-keys", Positional(args, 2000), protocol, certificate),
                    _ => throw new ArgumentException("modes: tls-idle [N], tls-handshakes [seconds], tls-cross-resume [N]"),
                };
                results[server].Add(figures);
                Console.WriteLine($"  run {run + 1} {server,-12} {string.Join("  ", figures.Select(f => f.ToString("F1", CultureInfo.InvariantCulture)))}");
            }
        }

        string[] columns = args[0] switch
        {
            "tls-idle" => ["heap KB/conn", "RSS KB/conn"],
            "tls-cross-resume" => ["resumed %", "handshakes"],
            _ => ["handshakes/s", "server us/handshake", "handshakes/core-s", "resumed %"],
        };
        Console.WriteLine($"{args[0]}{(resume ? " --resume" : "")} {TlsName(protocol)}, {runs} run(s), median [min-max]:");
        Console.WriteLine($"  {"server",-12} {string.Join("  ", columns.Select(c => c.PadLeft(26)))}");
        foreach ((string server, List<double[]> rows) in results)
        {
            var cells = columns.Select((_, i) =>
            {
                double[] values = rows.Select(r => r[i]).Order().ToArray();
                return $"{values[values.Length / 2],8:F1} [{values[0]:F1}-{values[^1]:F1}]".PadLeft(26);
            });
            Console.WriteLine($"  {server,-12} {string.Join("  ", cells)}");
        }

        return 0;
    }

    private static IBenchServer Start(string server, BenchCertificate certificate, int? cpu, int haproxyInstances) => server == "haproxy"
        ? HaProxyServer.Start(certificate, haproxyInstances, cpu)
        : ServerProcess.Start(server, certificate, cpu);

    private static async Task<double[]> IdleAsync(string server, int connections, SslProtocols protocol, BenchCertificate certificate)
    {
        // HAProxy holds two sockets per client: one instance per 5,000 clients stays under 20,000 files.
        using IBenchServer child = Start(server, certificate, cpu: null, haproxyInstances: Math.Max(1, (connections + 4999) / 5000));
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));

        // Warm-up: pools, JIT and allocator arenas are not per-connection costs.
        foreach (TlsBenchClient client in await OpenAsync(child.Port, 200, protocol, cts.Token))
        {
            client.Dispose();
        }

        await Task.Delay(1000, cts.Token);
        (long heap0, long rss0) = await child.MeasureAsync();
        using (await TlsIdleClients.OpenAsync(child.Port, connections, protocol, cpu: null))
        {
            await Task.Delay(2000, cts.Token);
            (long heap1, long rss1) = await child.MeasureAsync();
            return [(heap1 - heap0) / 1024.0 / connections, (rss1 - rss0) / 1024.0 / connections];
        }
    }

    private static async Task<double[]> HandshakesAsync(string server, int seconds, int concurrency, SslProtocols protocol, bool resume, BenchCertificate certificate)
    {
        using IBenchServer child = Start(server, certificate, cpu: Environment.ProcessorCount - 1, haproxyInstances: 1);
        long count = 0;
        bool counting = false;
        using var stop = new CancellationTokenSource();
        Task[] loops = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    TlsBenchClient client = await TlsBenchClient.ConnectAndEchoAsync(child.Port, protocol, stop.Token, resume: resume);
                    await client.CloseAsync();
                    if (Volatile.Read(ref counting))
                    {
                        Interlocked.Increment(ref count);
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        })).ToArray();

        await Task.Delay(2000); // warm-up: tiered JIT still compiles during the first second
        (long full0, long resumed0) = await child.StatsAsync();
        TimeSpan cpu0 = child.ProcessorTime();
        var wall = Stopwatch.StartNew();
        Volatile.Write(ref counting, true);
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        Volatile.Write(ref counting, false);
        long done = Interlocked.Read(ref count);
        TimeSpan cpu = child.ProcessorTime() - cpu0;
        double elapsed = wall.Elapsed.TotalSeconds;
        (long full1, long resumed1) = await child.StatsAsync();
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        double resumedShare = full0 < 0 ? double.NaN : 100.0 * (resumed1 - resumed0) / Math.Max(1, full1 - full0 + resumed1 - resumed0);
        return [done / elapsed, cpu.TotalMicroseconds / done, done / cpu.TotalSeconds, resumedShare];
    }

    /// <summary>
    /// Each reconnection goes to the other gateway (DNS round robin at its worst); the .NET client
    /// offers the ticket of its previous connection (it caches them per target host).
    /// </summary>
    private static async Task<double[]> CrossResumeAsync(bool sharedKeys, int reconnections, SslProtocols protocol, BenchCertificate certificate)
    {
        var environment = new Dictionary<string, string>();
        if (sharedKeys)
        {
            string keys = Path.Combine(certificate.Directory, "ticket.keys");
            File.WriteAllLines(keys, Enumerable.Range(0, 2).Select(_ => Convert.ToBase64String(RandomNumberGenerator.GetBytes(80))));
            environment["TICKET_KEY_FILE"] = keys;
        }

        using ServerProcess a = ServerProcess.Start("openssl", certificate, cpu: null, environment);
        using ServerProcess b = ServerProcess.Start("openssl", certificate, cpu: null, environment);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        for (int i = 0; i <= reconnections; i++)
        {
            TlsBenchClient client = await TlsBenchClient.ConnectAndEchoAsync(i % 2 == 0 ? a.Port : b.Port, protocol, cts.Token, resume: true);
            await client.CloseAsync();
        }

        (long fullA, long resumedA) = await a.StatsAsync();
        (long fullB, long resumedB) = await b.StatsAsync();
        long total = fullA + resumedA + fullB + resumedB;

        // The very first connection cannot resume.
        return [100.0 * (resumedA + resumedB) / Math.Max(1, total - 1), total];
    }

    private static async Task<List<TlsBenchClient>> OpenAsync(int port, int connections, SslProtocols protocol, CancellationToken cancellationToken)
    {
        var clients = new List<TlsBenchClient>(connections);
        using var gate = new SemaphoreSlim(32);
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                TlsBenchClient client = await TlsBenchClient.ConnectAndEchoAsync(port, protocol, cancellationToken);
                lock (clients)
                {
                    clients.Add(client);
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        return clients;
    }

    private static string TlsName(SslProtocols protocol) => protocol == SslProtocols.Tls12 ? "TLS 1.2" : "TLS 1.3";

    private static string Option(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private static int Positional(string[] args, int fallback) =>
        args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
