using System.Diagnostics;
using System.Globalization;
using Chat.Protocol.Packets;

namespace Chat.Benchmarks.Gateway;

/// <summary>
/// <c>gateway-relay --target 127.0.0.1:P --tls true|false --token-keys FILE [--server-pids PID,...]
/// [--conns 100] [--secs 10] [--warmup 2]</c>: <c>--conns</c> authenticated connections, each in a
/// closed loop of Ping -> Pong (the shard answers; a proxy only relays). Every round trip of the
/// measured window is kept: p50/p99/p99.9 from the sorted samples, round trips per second, and the
/// server processes' CPU per round trip.
/// </summary>
internal static class RelayCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchArgs.Parse(args);
        var target = options.Endpoint("target");
        var tls = options.Flag("tls", true);
        var signer = options.Signer();
        var pids = options.Pids("server-pids");
        var connectionCount = options.Int("conns", 100);
        var seconds = options.Double("secs", 10);
        var warmup = options.Double("warmup", 2);
        var label = options.Text("label", target.ToString());
        var metrics = new MetricsProbe(options.Text("metrics", string.Empty));
        if (signer is null || options.Errors.Count > 0 || connectionCount <= 0 || seconds <= 0)
        {
            await Console.Error.WriteLineAsync($"gateway-relay: {string.Join("; ", options.Errors.DefaultIfEmpty("--conns > 0 and --secs > 0 are required"))}");
            return 2;
        }

        var run = Guid.NewGuid().ToString("N")[..8];
        var connections = new List<BenchConnection>();
        using (var setup = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
        {
            for (var i = 0; i < connectionCount; i++)
            {
                var connection = await BenchConnection.ConnectAsync(target, null, tls, 4096, setup.Token);
                connections.Add(connection);
                await connection.WriteAsync(new Auth { Token = signer.Issue("u", $"relay-{run}-{i}", TimeSpan.FromHours(1)), DeviceId = "d" }, setup.Token);
                if (!await connection.ReadUntilAsync(PacketKind.AuthOk, setup.Token))
                {
                    await Console.Error.WriteLineAsync($"gateway-relay: connection {i} closed before AuthOk");
                    return 1;
                }
            }
        }

        var load = new MachineLoad(pids.Concat(options.Pids("other-pids")));
        var othersBefore = await load.WaitQuietAsync(options.Double("quiet-pct", 10), TimeSpan.FromSeconds(options.Double("quiet-wait", 60)));
        var state = new LoopState();
        using var stop = new CancellationTokenSource();
        var loops = connections.Select((c, i) => Task.Run(() => LoopAsync(c, i, state, stop.Token))).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(warmup));
        var metricsBefore = await metrics.ReadAsync();
        var cpuBefore = ProcStats.CpuSeconds(pids);
        load.Start();
        var threads = new ThreadProfile(pids);
        threads.Start();
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref state.Recording, true);
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        Volatile.Write(ref state.Recording, false);
        var window = clock.Elapsed.TotalSeconds;
        var cpu = ProcStats.CpuSeconds(pids) - cpuBefore;
        var others = load.OthersPercent();
        var threadLine = threads.Describe(window);
        var metricsAfter = await metrics.ReadAsync();
        await stop.CancelAsync();
        var samples = (await Task.WhenAll(loops)).SelectMany(s => s).ToArray();
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }

        if (samples.Length == 0)
        {
            await Console.Error.WriteLineAsync($"gateway-relay: no round trip completed; errors {state.Errors}");
            return 1;
        }

        Array.Sort(samples);
        var rate = samples.Length / window;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT mode=relay label={label} tls={tls} conns={connectionCount} secs={window:F1} round_trips={samples.Length} rt_per_s={rate:F0} p50_us={Percentile(samples, 50):F1} p99_us={Percentile(samples, 99):F1} p999_us={Percentile(samples, 99.9):F1} max_us={Percentile(samples, 100):F1} server_cpu_pct={100 * cpu / window:F1} server_cpu_us_per_rt={(pids.Count == 0 ? double.NaN : 1e6 * cpu / samples.Length):F2} errors={state.Errors} others_before_pct={othersBefore:F0} others_pct={others:F0}"));
        if (metricsAfter.Count > 0)
        {
            Console.WriteLine(MetricsProbe.Describe(metricsBefore, metricsAfter));
        }

        Console.WriteLine(threadLine);
        return 0;
    }

    private static async Task<List<double>> LoopAsync(BenchConnection connection, int index, LoopState state, CancellationToken stop)
    {
        var samples = new List<double>(1 << 16);
        var nonce = (long)index << 32;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var sent = Stopwatch.GetTimestamp();
                await connection.WriteAsync(new ClientPacket { Ping = new Ping { Nonce = ++nonce } }, stop);
                if (!await connection.ReadUntilAsync(PacketKind.Pong, stop))
                {
                    Interlocked.Increment(ref state.Errors);
                    break;
                }

                if (Volatile.Read(ref state.Recording))
                {
                    samples.Add(Stopwatch.GetElapsedTime(sent).TotalMicroseconds);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The end of the run.
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            Interlocked.Increment(ref state.Errors);
            await Console.Error.WriteLineAsync($"connection {index}: {ex.Message}");
        }

        return samples;
    }

    private static double Percentile(double[] sorted, double percent) =>
        sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(percent / 100 * sorted.Length) - 1)];

    private sealed class LoopState
    {
        public bool Recording;
        public int Errors;
    }
}
