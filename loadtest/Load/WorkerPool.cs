using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Chat.LoadTest.Cluster;
using Chat.LoadTest.Reports;

namespace Chat.LoadTest.Load;

/// <summary>
/// Runs the slices of a load: one slice in this process, several as worker processes
/// (<c>dotnet Chat.LoadTest.dll worker --spec s.json --out r.json</c>), because one process's
/// open-file cap (about 20,000 here) is too low for more than ~15,000 connections. Workers print a
/// <c>SAMPLE {json}</c> line every second and write their result file at the end.
/// </summary>
internal static class WorkerPool
{
    public const string SamplePrefix = "SAMPLE ";

    public static async Task<IReadOnlyList<WorkerResult>> RunAsync(IReadOnlyList<LoadSpec> specs, TimelineRecorder timeline, string runDir, CancellationToken cancellationToken)
    {
        if (specs.Count == 1)
        {
            var worker = new LoadWorker(specs[0], sample => timeline.Add(0, sample));
            return [await worker.RunAsync(cancellationToken)];
        }

        var runs = specs.Select((spec, index) => RunProcessAsync(spec, index, timeline, runDir, cancellationToken));
        return await Task.WhenAll(runs);
    }

    private static async Task<WorkerResult> RunProcessAsync(LoadSpec spec, int index, TimelineRecorder timeline, string runDir, CancellationToken cancellationToken)
    {
        var name = "worker-" + index.ToString(CultureInfo.InvariantCulture);
        var specPath = Path.Combine(runDir, name + "-spec.json");
        var resultPath = Path.Combine(runDir, name + "-result.json");
        await File.WriteAllTextAsync(specPath, JsonSerializer.Serialize(spec, ResultJson.Default.LoadSpec), cancellationToken);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { RepoLayout.HarnessDll, "worker", "--spec", specPath, "--out", resultPath })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = new Process { StartInfo = start };
        await using var log = new StreamWriter(Path.Combine(runDir, name + ".log")) { AutoFlush = true };
        var logLock = new Lock();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            if (e.Data.StartsWith(SamplePrefix, StringComparison.Ordinal))
            {
                try
                {
                    if (JsonSerializer.Deserialize(e.Data.AsSpan(SamplePrefix.Length), ResultJson.Default.WorkerSample) is { } sample)
                    {
                        timeline.Add(index, sample);
                    }
                }
                catch (JsonException)
                {
                    // A torn line: the next second's sample carries the cumulative counters again.
                }

                return;
            }

            lock (logLock)
            {
                log.WriteLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (logLock)
                {
                    log.WriteLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Bounded: connect + duration + settle + the in-flight and final-Sync bounds, plus a margin.
        var bound = TimeSpan.FromSeconds(spec.ConnectTimeoutSeconds + spec.DurationSeconds + spec.SettleSeconds + 180);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(bound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{name} did not finish within {bound}; see {runDir}/{name}.log");
        }

        process.WaitForExit();
        if (process.ExitCode != 0 || !File.Exists(resultPath))
        {
            throw new InvalidOperationException($"{name} failed (exit {process.ExitCode}); see {runDir}/{name}.log");
        }

        await using var file = File.OpenRead(resultPath);
        return await JsonSerializer.DeserializeAsync(file, ResultJson.Default.WorkerResult, cancellationToken)
            ?? throw new InvalidOperationException($"{resultPath} is empty");
    }

    /// <summary>The worker process's entry: runs the spec, prints samples, writes the result; exit 0.</summary>
    public static async Task<int> RunWorkerAsync(string specPath, string resultPath, CancellationToken cancellationToken)
    {
        LoadSpec spec;
        await using (var file = File.OpenRead(specPath))
        {
            spec = await JsonSerializer.DeserializeAsync(file, ResultJson.Default.LoadSpec, cancellationToken)
                ?? throw new InvalidOperationException($"{specPath} is empty");
        }

        var output = Console.Out;
        var outputLock = new Lock();
        var worker = new LoadWorker(spec, sample =>
        {
            var line = SamplePrefix + JsonSerializer.Serialize(sample, ResultJson.Compact.WorkerSample);
            lock (outputLock)
            {
                output.WriteLine(line);
                output.Flush();
            }
        });
        var result = await worker.RunAsync(cancellationToken);
        await File.WriteAllTextAsync(resultPath, JsonSerializer.Serialize(result, ResultJson.Default.WorkerResult), cancellationToken);
        return 0;
    }
}
