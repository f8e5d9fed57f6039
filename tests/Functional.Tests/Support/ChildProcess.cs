using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Chat.Tests.Functional.Support;

/// <summary>
/// A server assembly run as its own process (<c>dotnet X.dll args</c>), its output captured line by
/// line. Values the process prints at start (bound ports, "ready") are caught by named patterns:
/// <see cref="Captured"/> completes with the pattern's first group (or the whole line) and fails if
/// the process exits first. Killed (SIGKILL, whole tree) on dispose unless it exited.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _name;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly (string Key, Regex Pattern, TaskCompletionSource<string> Value)[] _captures;

    private ChildProcess(Process process, string name, IReadOnlyDictionary<string, Regex> captures)
    {
        _process = process;
        _name = name;
        _captures = [.. captures.Select(c => (c.Key, c.Value, new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously)))];
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process printed so far (for assertion messages).</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>What it printed on standard error.</summary>
    public string Errors => string.Join('\n', _errors);

    /// <summary>Starts <paramref name="dll"/> with <paramref name="args"/>, watching for <paramref name="captures"/>.</summary>
    public static ChildProcess Start(string dll, IEnumerable<string> args, string name, IReadOnlyDictionary<string, Regex> captures)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(process, name, captures);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                child._errors.Enqueue(e.Data);
            }

            child.OnLine(e.Data);
        };
        process.Exited += (_, _) =>
        {
            var error = new InvalidOperationException($"{name} exited");
            foreach (var capture in child._captures)
            {
                capture.Value.TrySetException(error);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The value of the capture named <paramref name="key"/> (completes when the line was printed).</summary>
    public Task<string> Captured(string key) => _captures.Single(c => c.Key == key).Value.Task;

    /// <summary>Waits until every capture was seen, within <paramref name="timeout"/>; throws with the output otherwise.</summary>
    public async Task WaitForCapturesAsync(TimeSpan timeout)
    {
        try
        {
            await Task.WhenAll(_captures.Select(c => c.Value.Task)).WaitAsync(timeout);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            var missing = string.Join(", ", _captures.Where(c => !c.Value.Task.IsCompletedSuccessfully).Select(c => c.Key));
            throw new InvalidOperationException($"{_name} did not start ({ex.Message}; missing: {missing}):\n{Output}", ex);
        }
    }

    /// <summary>Runs to its exit and returns the exit code and standard error (for bad-configuration tests).</summary>
    public static async Task<(int ExitCode, string Errors)> RunToExitAsync(string dll, IEnumerable<string> args, TimeSpan timeout)
    {
        await using var child = Start(dll, args, "?", new Dictionary<string, Regex>());
        var exit = await child.WaitForExitAsync(timeout);
        return (exit, child.Errors);
    }

    /// <summary>Sends a signal (TERM: a systemd stop, the process drains; KILL: a crash).</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit(10_000);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {_process.Id} failed");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);

        // Let the asynchronous readers hand over the last lines.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Waits until a line matching <paramref name="pattern"/> was printed.</summary>
    public async Task WaitForOutputAsync(string pattern, TimeSpan timeout)
    {
        var regex = new Regex(pattern);
        var deadline = Stopwatch.StartNew();
        while (!_output.Any(regex.IsMatch))
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"no line matching '{pattern}' within {timeout}:\n{Output}");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(cts.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Not started or already gone.
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        foreach (var (_, pattern, value) in _captures)
        {
            if (!value.Task.IsCompleted && pattern.Match(line) is { Success: true } match)
            {
                value.TrySetResult(match.Groups.Count > 1 ? match.Groups[1].Value : line);
            }
        }
    }
}
