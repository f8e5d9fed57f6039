using System.Diagnostics;
using System.Globalization;
using Chat.Protocol.Security;
using HdrHistogram;

namespace Chat.Benchmarks.ShardLoad;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks -- shard-load --shard 127.0.0.1:PORT --token-keys FILE --pid SHARD_PID</c>:
/// connects two devices per couple to a running shard over direct TCP, sends at full speed with a
/// bounded window per device, and prints messages/s, the shard's CPU seconds (from
/// /proc/&lt;pid&gt;/stat), messages per shard core-second, and send-to-ack percentiles. Start the shard
/// with a rate limit above the load (e.g. --rate 1000000 --rate-burst 1000000).
/// </summary>
internal static class ShardLoadCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = ShardLoadOptions.Parse(args, out var error);
        if (options is null)
        {
            await Console.Error.WriteLineAsync($"shard-load: {error}\nusage: {ShardLoadOptions.Usage}");
            return 2;
        }

        if (!KeyFile.TryLoad(options.TokenKeyFile, out var keys, out var keyError))
        {
            await Console.Error.WriteLineAsync($"shard-load: {keyError.Message}");
            return 2;
        }

        var signer = new TokenSigner(keys);
        var latency = new LongHistogram(60_000_000, 3);
        var run = Guid.NewGuid().ToString("N")[..8];
        var devices = new List<LoadDevice>();
        for (var c = 0; c < options.Couples; c++)
        {
            var couple = $"load-{run}-{c}";
            foreach (var user in (string[])["alice", "bob"])
            {
                devices.Add(await LoadDevice.ConnectAsync(options.Shard, signer.Issue(user, couple, TimeSpan.FromHours(1)), "dev", options.InFlight, options.BodyBytes, latency));
            }
        }

        using var stop = new CancellationTokenSource();
        var receivers = devices.Select(d => Task.Run(() => d.ReceiveAsync(stop.Token))).ToList();
        var cpuBefore = ReadCpuSeconds(options.ShardPid);
        var clock = Stopwatch.StartNew();
        var senders = devices.Select(d => Task.Run(() => d.SendAsync(stop.Token))).ToList();
        await Task.Delay(TimeSpan.FromSeconds(options.Seconds));
        var acked = devices.Sum(d => d.Acked);
        var delivered = devices.Sum(d => d.Delivered);
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpuAfter = ReadCpuSeconds(options.ShardPid);
        var rate = acked / elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"devices {devices.Count} ({options.Couples} couples), window {options.InFlight}, body {options.BodyBytes} B, {elapsed:F1} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"messages acked: {acked} ({rate:F0}/s); delivered to partners: {delivered}"));
        if (cpuBefore is { } before && cpuAfter is { } after)
        {
            var cpu = after - before;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"shard CPU: {cpu:F2} s over {elapsed:F1} s ({cpu / elapsed:F2} cores) -> {acked / Math.Max(cpu, 0.01):F0} messages per shard core-second"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"send->ack: p50 {latency.GetValueAtPercentile(50) / 1000.0:F2} ms, p99 {latency.GetValueAtPercentile(99) / 1000.0:F2} ms, p99.9 {latency.GetValueAtPercentile(99.9) / 1000.0:F2} ms, max {latency.GetMaxValue() / 1000.0:F2} ms"));
        await stop.CancelAsync();
        foreach (var device in devices)
        {
            await device.DisposeAsync();
        }

        try
        {
            await Task.WhenAll(senders.Concat(receivers)).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            // Figures are printed already; a device cut off mid-frame is no news at the end of a run.
        }

        return 0;
    }

    // utime + stime (fields 14 and 15 of /proc/<pid>/stat) in clock ticks of 1/100 s (USER_HZ on Linux).
    private static double? ReadCpuSeconds(int? pid)
    {
        if (pid is null)
        {
            return null;
        }

        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
}
