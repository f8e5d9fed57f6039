using System.Diagnostics;
using System.Globalization;

namespace Chat.Benchmarks.Tls;

/// <summary>A server child process ("tls-serve kind dir") and its stdin/stdout protocol.</summary>
internal sealed class ServerProcess : IBenchServer
{
    private readonly Process _process;

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <param name="cpu">Pin to this CPU with taskset; null: not pinned.</param>
    /// <param name="environment">Extra environment variables (e.g. TICKET_KEY_FILE).</param>
    public static ServerProcess Start(string kind, BenchCertificate certificate, int? cpu, IReadOnlyDictionary<string, string>? environment = null)
    {
        Process process = StartSelf(["tls-serve", kind, certificate.Directory], cpu, environment);
        string? line = process.StandardOutput.ReadLine();
        if (line is null || !line.StartsWith("PORT ", StringComparison.Ordinal))
        {
            process.Kill();
            throw new InvalidOperationException($"server {kind} did not start: {line}");
        }

        return new ServerProcess(process, int.Parse(line.AsSpan(5), CultureInfo.InvariantCulture));
    }

    /// <summary>This program again, with <paramref name="arguments"/>, stdin and stdout redirected.</summary>
    public static Process StartSelf(IEnumerable<string> arguments, int? cpu, IReadOnlyDictionary<string, string>? environment = null)
    {
        string self = Environment.ProcessPath!;
        var all = new List<string>();
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            all.Add(typeof(TlsFigures).Assembly.Location);
        }

        all.AddRange(arguments);
        string file = self;
        if (cpu is not null && File.Exists("/usr/bin/taskset"))
        {
            all.InsertRange(0, ["-c", cpu.Value.ToString(CultureInfo.InvariantCulture), self]);
            file = "/usr/bin/taskset";
        }

        var start = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in all)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }

    public async Task<(long Heap, long Rss)> MeasureAsync()
    {
        string[] parts = (await AskAsync("measure")).Split(' ');
        return (long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    public async Task<(long Full, long Resumed)> StatsAsync()
    {
        string[] parts = (await AskAsync("stats")).Split(' ');
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

    private async Task<string> AskAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        return await _process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("server exited");
    }
}
