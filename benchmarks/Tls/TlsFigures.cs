using System.Diagnostics;
using System.Globalization;
using System.Security.Authentication;

namespace Chat.Benchmarks.Tls;

/// <summary>
/// Console figures for the TLS edge, each server in a child process of its own, measured in the
/// same run as the anchors (plain SslStream, DotNetty's stock TlsHandler):
/// <code>
///   dotnet run -c Release --project benchmarks -- tls-idle 2000 [--servers own,sslstream,stock] [--runs 3] [--tls12]
///   dotnet run -c Release --project benchmarks -- tls-handshakes 5 [--servers ...] [--runs 3] [--concurrency 8] [--tls12] [--rsa]
/// </code>
/// tls-idle: managed heap (after full GCs) and VmRSS of the server process per idle connection
/// (each sent one 100-byte frame), after minus before, divided by N.
/// tls-handshakes: full handshakes + one 100-byte echo per connection for the given seconds; the
/// server is pinned to the last CPU (taskset) with one event-loop thread; its CPU time per
/// handshake comes from the child's TotalProcessorTime.
/// </summary>
internal static class TlsFigures
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args[0] == "tls-serve")
        {
            return await TlsBenchServers.RunAsync(args[1], args[2]);
        }

        string[] servers = Option(args, "--servers", "own,sslstream,stock").Split(',');
        int runs = int.Parse(Option(args, "--runs", "1"), CultureInfo.InvariantCulture);
        SslProtocols protocol = args.Contains("--tls12") ? SslProtocols.Tls12 : SslProtocols.Tls13;
        using var certificate = new BenchCertificate(rsa: args.Contains("--rsa"));
        var results = servers.ToDictionary(s => s, _ => new List<double[]>());
        for (int run = 0; run < runs; run++)
        {
            foreach (string server in servers)
            {
                double[] figures = args[0] switch
                {
                    "tls-idle" => await IdleAsync(server, Positional(args, 2000), protocol, certificate),
                    "tls-handshakes" => await HandshakesAsync(server, Positional(args, 5), int.Parse(Option(args, "--concurrency", "8"), CultureInfo.InvariantCulture), protocol, certificate),
                    _ => throw new ArgumentException("modes: tls-idle [N], tls-handshakes [seconds]"),
                };
                results[server].Add(figures);
                Console.WriteLine($"  run {run + 1} {server,-10} {string.Join("  ", figures.Select(f => f.ToString("F1", CultureInfo.InvariantCulture)))}");
            }
        }

        string[] columns = args[0] == "tls-idle"
            ? ["heap KB/conn", "RSS KB/conn"]
            : ["handshakes/s", "server us/handshake", "handshakes/core-s"];
        Console.WriteLine($"{args[0]} {TlsName(protocol)}, {runs} run(s), median [min-max]:");
        Console.WriteLine($"  {"server",-10} {string.Join("  ", columns.Select(c => c.PadLeft(26)))}");
        foreach ((string server, List<double[]> rows) in results)
        {
            var cells = columns.Select((_, i) =>
            {
                double[] values = rows.Select(r => r[i]).Order().ToArray();
                return $"{values[values.Length / 2],8:F1} [{values[0]:F1}-{values[^1]:F1}]".PadLeft(26);
            });
            Console.WriteLine($"  {server,-10} {string.Join("  ", cells)}");
        }

        return 0;
    }

    private static async Task<double[]> IdleAsync(string server, int connections, SslProtocols protocol, BenchCertificate certificate)
    {
        using var child = ServerProcess.Start(server, certificate, pin: false);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));

        // Warm-up: pools, JIT and allocator arenas are not per-connection costs.
        foreach (TlsBenchClient client in await OpenAsync(child.Port, 200, protocol, cts.Token))
        {
            client.Dispose();
        }

        await Task.Delay(500, cts.Token);
        (long heap0, long rss0) = await child.MeasureAsync();
        List<TlsBenchClient> clients = await OpenAsync(child.Port, connections, protocol, cts.Token);
        await Task.Delay(1000, cts.Token);
        (long heap1, long rss1) = await child.MeasureAsync();
        foreach (TlsBenchClient client in clients)
        {
            client.Dispose();
        }

        return [(heap1 - heap0) / 1024.0 / connections, (rss1 - rss0) / 1024.0 / connections];
    }

    private static async Task<double[]> HandshakesAsync(string server, int seconds, int concurrency, SslProtocols protocol, BenchCertificate certificate)
    {
        using var child = ServerProcess.Start(server, certificate, pin: true);
        long count = 0;
        bool counting = false;
        using var stop = new CancellationTokenSource();
        Task[] loops = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using TlsBenchClient client = await TlsBenchClient.ConnectAndEchoAsync(child.Port, protocol, stop.Token);
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
        TimeSpan cpu0 = child.ProcessorTime();
        var wall = Stopwatch.StartNew();
        Volatile.Write(ref counting, true);
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        Volatile.Write(ref counting, false);
        long done = Interlocked.Read(ref count);
        TimeSpan cpu = child.ProcessorTime() - cpu0;
        double elapsed = wall.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        return [done / elapsed, cpu.TotalMicroseconds / done, done / cpu.TotalSeconds];
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

    /// <summary>A server child process ("tls-serve kind dir") and its stdin/stdout protocol.</summary>
    private sealed class ServerProcess : IDisposable
    {
        private readonly Process _process;

        private ServerProcess(Process process, int port)
        {
            _process = process;
            Port = port;
        }

        public int Port { get; }

        public static ServerProcess Start(string kind, BenchCertificate certificate, bool pin)
        {
            string self = Environment.ProcessPath!;
            var arguments = new List<string>();
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                arguments.Add(typeof(TlsFigures).Assembly.Location);
            }

            arguments.AddRange(["tls-serve", kind, certificate.Directory]);
            string file = self;
            if (pin && Environment.ProcessorCount > 1 && File.Exists("/usr/bin/taskset"))
            {
                arguments.InsertRange(0, ["-c", (Environment.ProcessorCount - 1).ToString(CultureInfo.InvariantCulture), self]);
                file = "/usr/bin/taskset";
            }

            var start = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            Process process = Process.Start(start)!;
            string? line = process.StandardOutput.ReadLine();
            if (line is null || !line.StartsWith("PORT ", StringComparison.Ordinal))
            {
                process.Kill();
                throw new InvalidOperationException($"server {kind} did not start: {line}");
            }

            return new ServerProcess(process, int.Parse(line.AsSpan(5), CultureInfo.InvariantCulture));
        }

        public async Task<(long Heap, long Rss)> MeasureAsync()
        {
            await _process.StandardInput.WriteLineAsync("measure");
            await _process.StandardInput.FlushAsync();
            string line = await _process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("server exited");
            string[] parts = line.Split(' ');
            return (long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
        }

        public TimeSpan ProcessorTime()
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }

        public void Dispose()
        {
            try
            {
                _process.StandardInput.WriteLine("quit");
                if (!_process.WaitForExit(5000))
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
            catch (IOException)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }
    }
}
