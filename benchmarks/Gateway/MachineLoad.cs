using System.Diagnostics;
using System.Globalization;

namespace Chat.Benchmarks.Gateway;

/// <summary>
/// CPU used by processes that are not part of a figure, as the anchors harness accounts it: busy
/// jiffies of the whole machine (user, nice, system, irq, softirq, steal from /proc/stat) minus the
/// CPU of the measured servers, of <c>--other-pids</c> (e.g. the shard) and of this process with its
/// waited-for children (the clients), as a share of all cores. The machine is shared: every figure
/// says how busy the rest of it was.
/// </summary>
internal sealed class MachineLoad
{
    private readonly IReadOnlyList<int> _ours;
    private double _busy;
    private double _mine;
    private long _started;

    public MachineLoad(IEnumerable<int> ourPids)
    {
        _ours = ourPids.ToList();
    }

    /// <summary>
    /// Waits, at most <paramref name="maxWait"/>, until the others used at most <paramref name="percent"/>
    /// of the machine over two seconds; returns the last share seen.
    /// </summary>
    public async Task<double> WaitQuietAsync(double percent, TimeSpan maxWait)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Start();
            await Task.Delay(TimeSpan.FromSeconds(2));
            var others = OthersPercent();
            if (others <= percent || clock.Elapsed >= maxWait)
            {
                return others;
            }

            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"others use {others:F0}% of the machine; waiting (at most {maxWait.TotalSeconds:F0} s)"));
        }
    }

    /// <summary>Starts a measuring window.</summary>
    public void Start()
    {
        _busy = MachineBusySeconds();
        _mine = OurSeconds();
        _started = Stopwatch.GetTimestamp();
    }

    /// <summary>Share of all cores used by other processes since <see cref="Start"/>, percent.</summary>
    public double OthersPercent()
    {
        var wall = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        var others = MachineBusySeconds() - _busy - (OurSeconds() - _mine);
        return Math.Max(0, 100 * others / (wall * Cores));
    }

    // Every core of the machine (Environment.ProcessorCount follows this process's affinity mask).
    private static int Cores => File.ReadLines("/proc/stat").Count(l => l.Length > 3 && l.StartsWith("cpu", StringComparison.Ordinal) && char.IsDigit(l[3]));

    private static double MachineBusySeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long Field(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
        return (Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8)) / 100.0;
    }

    private double OurSeconds()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var self = fields.Skip(11).Take(4).Sum(f => long.Parse(f, CultureInfo.InvariantCulture)) / 100.0;
        return self + ProcStats.CpuSeconds(_ours.Where(p => Directory.Exists($"/proc/{p}")));
    }
}
