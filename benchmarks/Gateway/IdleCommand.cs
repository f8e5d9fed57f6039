using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Chat.Protocol.Packets;

namespace Chat.Benchmarks.Gateway;

/// <summary>
/// <c>gateway-idle --target 127.0.0.1:P --server-pids PID[,PID...] --token-keys FILE [--n 10000]</c>:
/// RSS of the server processes after N idle TLS connections minus before, divided by N. Each
/// connection authenticates (its own couple) and reads the AuthOk, then idles. The clients run in
/// child processes of at most <c>--per-process</c> (15,000) sockets, spread over the source addresses
/// 127.0.0.<c>--src-from</c>..<c>--src-to</c> (2..20), as in the anchors harness (RLIMIT_NOFILE and
/// the ephemeral ports of one address bound a single process).
/// </summary>
internal static partial class IdleCommand
{
    public const string ChildMode = "gateway-idle-child";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchArgs.Parse(args);
        var target = options.Endpoint("target");
        var pids = options.Pids("server-pids");
        var total = options.Int("n", 10_000);
        var perProcess = options.Int("per-process", 15_000);
        var settle = TimeSpan.FromSeconds(options.Double("settle", 5));
        var setupTimeout = TimeSpan.FromSeconds(options.Double("setup-timeout", 300));
        var label = options.Text("label", target.ToString());
        var metrics = new MetricsProbe(options.Text("metrics", string.Empty));
        if (pids.Count == 0 || options.Errors.Count > 0 || total <= 0 || perProcess <= 0)
        {
            await Console.Error.WriteLineAsync($"gateway-idle: {string.Join("; ", options.Errors.DefaultIfEmpty("--server-pids, --n > 0 and --per-process > 0 are required"))}");
            return 2;
        }

        var run = Guid.NewGuid().ToString("N")[..8];
        var rssBefore = ProcStats.RssKib(pids);
        var threadsBefore = ProcStats.Threads(pids);
        var metricsBefore = await metrics.ReadAsync();
        var processes = (total + perProcess - 1) / perProcess;
        var children = new List<Process>();
        var clock = Stopwatch.StartNew();
        var ok = 0;
        var failed = 0;
        try
        {
            for (var i = 0; i < processes; i++)
            {
                var count = (total / processes) + (i < total % processes ? 1 : 0);
                var first = (i * (total / processes)) + Math.Min(i, total % processes);
                children.Add(StartChild(args, run, first, count));
            }

            using var timeout = new CancellationTokenSource(setupTimeout);
            foreach (var child in children)
            {
                var line = await ReadReadyLineAsync(child, timeout.Token);
                var (childOk, childFailed) = ParseReady(line);
                ok += childOk;
                failed += childFailed;
                if (childFailed > 0)
                {
                    await Console.Error.WriteLineAsync($"client process {child.Id}: {line}");
                }
            }

            var setup = clock.Elapsed;
            await Task.Delay(settle);
            var rssAfter = ProcStats.RssKib(pids);
            var metricsAfter = await metrics.ReadAsync();
            var perConnection = (rssAfter - rssBefore) * 1024.0 / Math.Max(1, ok);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT mode=idle label={label} n={total} ok={ok} failed={failed} server_procs={pids.Count} client_procs={processes} setup_s={setup.TotalSeconds:F1} rss_before_kib={rssBefore} rss_after_kib={rssAfter} bytes_per_conn={perConnection:F0} threads_before={threadsBefore} threads_after={ProcStats.Threads(pids)}"));
            if (metricsAfter.Count > 0)
            {
                Console.WriteLine(MetricsProbe.Describe(metricsBefore, metricsAfter));
            }

            return ok > 0 ? 0 : 1;
        }
        finally
        {
            await StopChildrenAsync(children);
        }
    }

    /// <summary>
    /// The child: opens its share of the connections, prints <c>READY ok=.. failed=..</c>, then holds
    /// them until its standard input closes (the parent is done) or <c>--hold</c> seconds pass.
    /// </summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        var options = BenchArgs.Parse(args);
        var target = options.Endpoint("target");
        var signer = options.Signer();
        var count = options.Int("count", 0);
        var first = options.Int("first", 0);
        var tls = options.Flag("tls", true);
        var sourceFrom = options.Int("src-from", 2);
        var sourceTo = options.Int("src-to", 20);
        var concurrency = options.Int("conc", 64);
        var run = options.Text("run", "r");
        var hold = TimeSpan.FromSeconds(options.Double("hold", 600));
        if (signer is null || options.Errors.Count > 0 || sourceTo < sourceFrom || concurrency <= 0)
        {
            Console.WriteLine($"READY ok=0 failed={count} error={string.Join("; ", options.Errors)}");
            return 2;
        }

        var connections = new BenchConnection?[count];
        var failed = 0;
        string? firstError = null;
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) =>
        {
            var index = first + i;
            var source = IPAddress.Parse($"127.0.0.{sourceFrom + (index % (sourceTo - sourceFrom + 1))}");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            BenchConnection? connection = null;
            try
            {
                connection = await BenchConnection.ConnectAsync(target, source, tls, 512, timeout.Token);
                var token = signer.Issue("u", $"idle-{run}-{index}", TimeSpan.FromHours(2));
                await connection.WriteAsync(new Auth { Token = token, DeviceId = "d" }, timeout.Token);
                if (!await connection.ReadUntilAsync(PacketKind.AuthOk, timeout.Token))
                {
                    throw new InvalidOperationException("closed before AuthOk");
                }

                connections[i] = connection;
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OperationCanceledException or InvalidOperationException or System.Security.Authentication.AuthenticationException)
            {
                Interlocked.Increment(ref failed);
                Interlocked.CompareExchange(ref firstError, ex.GetType().Name + ": " + ex.Message.ReplaceLineEndings(" "), null);
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
            }
        });

        Console.WriteLine($"READY ok={count - failed} failed={failed}" + (firstError is null ? string.Empty : $" error={firstError}"));
        using var holdTimeout = new CancellationTokenSource(hold);
        try
        {
            // The parent closes our standard input when it has measured.
            await Console.In.ReadToEndAsync(holdTimeout.Token);
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("hold time over before the parent finished; closing");
        }

        foreach (var connection in connections)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }

        return 0;
    }

    private static Process StartChild(string[] parentArgs, string run, int first, int count)
    {
        var start = new ProcessStartInfo
        {
            FileName = Environment.ProcessPath!,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        // Under `dotnet Chat.Benchmarks.dll` the process is the dotnet host: pass the assembly again.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(IdleCommand).Assembly.Location);
        }

        start.ArgumentList.Add(ChildMode);
        for (var i = 1; i + 1 < parentArgs.Length; i += 2)
        {
            if (parentArgs[i] is not ("--n" or "--server-pids" or "--per-process" or "--settle" or "--setup-timeout" or "--label" or "--metrics"))
            {
                start.ArgumentList.Add(parentArgs[i]);
                start.ArgumentList.Add(parentArgs[i + 1]);
            }
        }

        start.ArgumentList.Add("--run");
        start.ArgumentList.Add(run);
        start.ArgumentList.Add("--first");
        start.ArgumentList.Add(first.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--count");
        start.ArgumentList.Add(count.ToString(CultureInfo.InvariantCulture));
        return Process.Start(start) ?? throw new InvalidOperationException("could not start a client process");
    }

    private static async Task<string> ReadReadyLineAsync(Process child, CancellationToken cancellationToken)
    {
        while (await child.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("READY ", StringComparison.Ordinal))
            {
                return line;
            }

            Console.WriteLine($"[client {child.Id}] {line}");
        }

        return "READY ok=0 failed=0 error=client process ended";
    }

    private static (int Ok, int Failed) ParseReady(string line)
    {
        var match = ReadyLine().Match(line);
        return match.Success
            ? (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture))
            : (0, 0);
    }

    [GeneratedRegex(@"^READY ok=(\d+) failed=(\d+)")]
    private static partial Regex ReadyLine();

    private static async Task StopChildrenAsync(List<Process> children)
    {
        foreach (var child in children)
        {
            child.StandardInput.Close();
        }

        foreach (var child in children)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await child.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Kill only this child (it was started here), never by name.
                child.Kill();
            }

            child.Dispose();
        }
    }
}
