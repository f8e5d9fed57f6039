using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Chat.Benchmarks.Gateway;

/// <summary>
/// <c>gateway-handshakes --target 127.0.0.1:P --server-pids PID[,PID...] [--secs 10] [--procs 4]
/// [--modes full,full-www,resumed-www]</c>: TLS 1.3 handshakes per server core-second. The clients
/// are <c>openssl s_time</c> processes, as in the anchors harness (the figures stay comparable with
/// BENCHMARKS.md); they inherit this process's CPU affinity (run it under <c>taskset -c 1</c>).
/// Server CPU is utime+stime from /proc/PID/stat over the run, divided into the handshake count.
/// Modes: <c>full</c> handshake then close; <c>full-www</c> handshake, 18 bytes, read until the
/// server closes (the gateway and the shard reject them as a bad first frame); <c>resumed-www</c>
/// the same with session resumption (s_time only gets the TLS 1.3 ticket by reading).
/// </summary>
internal static partial class HandshakeCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchArgs.Parse(args);
        var target = options.Endpoint("target");
        var pids = options.Pids("server-pids");
        var seconds = options.Int("secs", 10);
        var processes = options.Int("procs", 4);
        var label = options.Text("label", target.ToString());
        var modes = options.Text("modes", "full,full-www,resumed-www").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var metrics = new MetricsProbe(options.Text("metrics", string.Empty));
        if (pids.Count == 0 || options.Errors.Count > 0 || seconds <= 0 || processes <= 0 || modes.Any(m => m is not ("full" or "full-www" or "resumed-www")))
        {
            await Console.Error.WriteLineAsync($"gateway-handshakes: {string.Join("; ", options.Errors.DefaultIfEmpty("--server-pids, --secs > 0, --procs > 0 and --modes of full|full-www|resumed-www are required"))}");
            return 2;
        }

        var load = new MachineLoad(pids.Concat(options.Pids("other-pids")));
        var quiet = options.Double("quiet-pct", 10);
        var quietWait = TimeSpan.FromSeconds(options.Double("quiet-wait", 60));
        foreach (var mode in modes)
        {
            var othersBefore = await load.WaitQuietAsync(quiet, quietWait);
            load.Start();
            var threads = new ThreadProfile(pids);
            threads.Start();
            var metricsBefore = await metrics.ReadAsync();
            var cpuBefore = ProcStats.CpuSeconds(pids);
            var clock = Stopwatch.StartNew();
            var outputs = await Task.WhenAll(Enumerable.Range(0, processes).Select(_ => RunSTimeAsync(target.ToString(), mode, seconds)));
            var wall = clock.Elapsed.TotalSeconds;
            var cpu = ProcStats.CpuSeconds(pids) - cpuBefore;
            var others = load.OthersPercent();
            var threadLine = threads.Describe(wall);
            var connections = outputs.Sum(o => ConnectionsLine().Match(o) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0);

            // s_time prints '*' for a full handshake and 'r' for a resumed one, one per connection (when not quiet).
            var progress = string.Concat(outputs.Select(o => string.Concat(o.Split('\n').Where(l => !l.Contains("connections", StringComparison.Ordinal) && !l.Contains("Collecting", StringComparison.Ordinal) && !l.Contains("timing", StringComparison.Ordinal)))));
            var resumed = progress.Count(c => c == 'r');
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT mode=handshakes label={label} hs_mode={mode} procs={processes} conns={connections} resumed={resumed} wall_s={wall:F2} hs_per_s={connections / wall:F0} server_cpu_s={cpu:F2} server_util_pct={100 * cpu / wall:F1} us_per_hs={1e6 * cpu / Math.Max(1, connections):F1} hs_per_core_s={connections / Math.Max(cpu, 0.01):F0} others_before_pct={othersBefore:F0} others_pct={others:F0}"));
            var metricsAfter = await metrics.ReadAsync();
            if (metricsAfter.Count > 0)
            {
                Console.WriteLine(MetricsProbe.Describe(metricsBefore, metricsAfter));
            }

            Console.WriteLine(threadLine);
            if (connections == 0)
            {
                await Console.Error.WriteLineAsync("no handshake completed; s_time said:\n" + outputs[0]);
                return 1;
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        return 0;
    }

    private static async Task<string> RunSTimeAsync(string target, string mode, int seconds)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["s_time", "-connect", target, mode.StartsWith("resumed", StringComparison.Ordinal) ? "-reuse" : "-new", "-tls1_3", "-time", seconds.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(arg);
        }

        if (mode.EndsWith("-www", StringComparison.Ordinal))
        {
            start.ArgumentList.Add("-www");
            start.ArgumentList.Add("/");
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start openssl s_time");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Kill only this s_time (started here).
            process.Kill();
        }

        return await output + await errors;
    }

    [GeneratedRegex(@"^(\d+) connections in \d+ real seconds", RegexOptions.Multiline)]
    private static partial Regex ConnectionsLine();
}
