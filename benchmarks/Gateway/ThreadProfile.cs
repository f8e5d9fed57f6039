using System.Globalization;

namespace Chat.Benchmarks.Gateway;

/// <summary>
/// A poor man's profile for machines without perf or dotnet-trace: CPU per thread of the server
/// processes over a window (/proc/PID/task/TID/stat), summed by thread name (.NET names its
/// threads: ".NET TP Worker", ".NET Sockets", ".NET SigHandler", DotNetty event loops show as
/// their pool names), so a figure says where the server's CPU went.
/// </summary>
internal sealed class ThreadProfile
{
    private readonly IReadOnlyList<int> _pids;
    private Dictionary<(int Pid, string Tid), (string Name, double Seconds)> _start = [];

    public ThreadProfile(IReadOnlyList<int> pids)
    {
        _pids = pids;
    }

    public void Start() => _start = Read();

    /// <summary>One line: thread name (count) = CPU seconds over the window, busiest first.</summary>
    public string Describe(double windowSeconds)
    {
        var now = Read();
        var byName = now
            .Select(t => (t.Value.Name, Seconds: t.Value.Seconds - (_start.TryGetValue(t.Key, out var s) ? s.Seconds : 0)))
            .GroupBy(t => t.Name)
            .Select(g => (Name: g.Key, Count: g.Count(), Busy: g.Count(t => t.Seconds > 0), Seconds: g.Sum(t => t.Seconds)))
            .Where(g => g.Seconds > 0)
            .OrderByDescending(g => g.Seconds)
            .Take(8);
        return "  server threads (name: threads busy/total, CPU % of one core): " + string.Join(", ", byName.Select(g =>
            string.Create(CultureInfo.InvariantCulture, $"{g.Name}: {g.Busy}/{g.Count} {100 * g.Seconds / windowSeconds:F1}%")));
    }

    private Dictionary<(int Pid, string Tid), (string Name, double Seconds)> Read()
    {
        var threads = new Dictionary<(int Pid, string Tid), (string Name, double Seconds)>();
        foreach (var pid in _pids)
        {
            if (!Directory.Exists($"/proc/{pid}/task"))
            {
                continue;
            }

            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                string stat;
                try
                {
                    stat = File.ReadAllText(Path.Combine(task, "stat"));
                }
                catch (IOException)
                {
                    continue; // The thread ended between the listing and the read.
                }

                var open = stat.IndexOf('(', StringComparison.Ordinal);
                var close = stat.LastIndexOf(')');
                var name = stat[(open + 1)..close];
                var fields = stat[(close + 2)..].Split(' ');
                var seconds = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
                threads[(pid, Path.GetFileName(task))] = (name, seconds);
            }
        }

        return threads;
    }
}
