using System.Globalization;

namespace Chat.Benchmarks.Gateway;

/// <summary>CPU and memory of server processes read from /proc, as the anchors harness reads them.</summary>
internal static class ProcStats
{
    // USER_HZ on Linux: /proc/<pid>/stat counts clock ticks of 1/100 s.
    private const double TicksPerSecond = 100.0;

    /// <summary>utime + stime of every thread of the processes, seconds (fields 14 and 15 of /proc/PID/stat).</summary>
    public static double CpuSeconds(IEnumerable<int> pids)
    {
        var ticks = 0L;
        foreach (var pid in pids)
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }

        return ticks / TicksPerSecond;
    }

    /// <summary>Summed VmRSS of the processes, KiB.</summary>
    public static long RssKib(IEnumerable<int> pids) => pids.Sum(pid => StatusKib(pid, "VmRSS:"));

    /// <summary>Summed thread count of the processes.</summary>
    public static long Threads(IEnumerable<int> pids) => pids.Sum(pid => StatusKib(pid, "Threads:"));

    private static long StatusKib(int pid, string key)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
