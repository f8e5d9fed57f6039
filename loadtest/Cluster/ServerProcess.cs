using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Chat.LoadTest.Cluster;

/// <summary>
/// A server process of the local cluster (<c>dotnet &lt;dll&gt; args</c>): every output line goes to a log
/// file in the run directory, and named regular expressions capture values (bound ports) from it.
/// Stopped by PID only: SIGTERM (a drain), SIGKILL (a crash), or SIGKILL on dispose if still running.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private readonly IReadOnlyDictionary<string, Regex> _patterns;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _captures = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _tail = new();
    private bool _closed;

    private ServerProcess(Process process, string name, string logPath, IReadOnlyDictionary<string, Regex> patterns)
    {
        _process = process;
        Name = name;
        LogPath = logPath;
        _patterns = patterns;
        _log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        foreach (var key in patterns.Keys)
        {
            _captures[key] = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public string Name { get; }

    public string LogPath { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines printed (for error messages).</summary>
    public string Tail => string.Join('\n', _tail);

    /// <summary>Starts <c>dotnet &lt;dll&gt; args</c>.</summary>
    public static ServerProcess Start(string dll, IEnumerable<string> args, string name, string logPath, IReadOnlyDictionary<string, Regex> patterns) =>
        StartExecutable(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [dll, .. args], name, logPath, patterns);

    /// <summary>Starts any executable (HAProxy for --compare).</summary>
    public static ServerProcess StartExecutable(string fileName, IEnumerable<string> args, string name, string logPath, IReadOnlyDictionary<string, Regex> patterns)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new ServerProcess(process, name, logPath, patterns);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.Exited += (_, _) =>
        {
            foreach (var capture in server._captures.Values)
            {
                capture.TrySetException(new InvalidOperationException($"{name} exited"));
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>The value captured by the pattern named <paramref name="key"/>, once printed.</summary>
    public Task<string> Captured(string key) => _captures[key].Task;

    /// <summary>Waits until every pattern captured a value; false (and a reason) on exit or timeout.</summary>
    public async Task<string?> WaitForCapturesAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(_captures.Values.Select(c => c.Task)).WaitAsync(timeout, cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            return $"{Name} did not start ({ex.Message}); log {LogPath}:\n{Tail}";
        }
    }

    /// <summary>SIGTERM: the process drains and exits by itself.</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>SIGKILL: a crash; returns once the process is gone (10 s at most).</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        Signal("KILL");
        await WaitForExitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Waits for the process to exit; false when it still runs after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await WaitForExitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped: nothing to stop.
        }

        _process.Dispose();
        lock (_logLock)
        {
            _closed = true;
            _log.Dispose();
        }
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit(10_000);
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            // Output may still arrive while the process is being disposed.
            if (!_closed)
            {
                _log.WriteLine(line);
            }
        }

        _tail.Enqueue(line);
        while (_tail.Count > 30 && _tail.TryDequeue(out _))
        {
        }

        foreach (var (key, regex) in _patterns)
        {
            if (!_captures[key].Task.IsCompleted && regex.Match(line) is { Success: true } match)
            {
                _captures[key].TrySetResult(match.Groups.Count > 1 ? match.Groups[1].Value : match.Value);
            }
        }
    }
}
