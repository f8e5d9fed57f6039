using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Authentication;

namespace Chat.Benchmarks.Tls;

/// <summary>
/// Idle TLS clients in child processes: each process may hold 20,000 open files here (hard
/// limit), so 10,000+ connections are spread over processes of <see cref="PerProcess"/>, and over
/// source addresses 127.0.0.2-17 so no 4-tuple range runs out. Child mode:
/// <c>tls-idle-clients port count firstIndex tls13|tls12</c>: opens, echoes one 100-byte frame on
/// each, prints "OPEN n", holds them until "quit".
/// </summary>
internal static class TlsIdleClients
{
    public const int PerProcess = 5000;

    private const int SourceAddresses = 16;

    public static async Task<int> RunChildAsync(string[] args)
    {
        int port = int.Parse(args[1], CultureInfo.InvariantCulture);
        int count = int.Parse(args[2], CultureInfo.InvariantCulture);
        int first = int.Parse(args[3], CultureInfo.InvariantCulture);
#pragma warning disable CA5397 // The benchmark names the version it measures.
        SslProtocols protocol = args[4] == "tls12" ? SslProtocols.Tls12 : SslProtocols.Tls13;
#pragma warning restore CA5397
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var clients = new List<TlsBenchClient>(count);
        using var gate = new SemaphoreSlim(32);
        await Task.WhenAll(Enumerable.Range(first, count).Select(async i =>
        {
            await gate.WaitAsync(cts.Token);
            try
            {
                var source = new IPAddress([127, 0, 0, (byte)(2 + (i % SourceAddresses))]);
                TlsBenchClient client = await TlsBenchClient.ConnectAndEchoAsync(port, protocol, cts.Token, source);
                lock (clients)
                {
                    clients.Add(client);
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        Console.WriteLine("OPEN " + clients.Count);
        while (Console.ReadLine() is { } line && line != "quit")
        {
        }

        clients.ForEach(c => c.Dispose());
        return 0;
    }

    /// <summary>Opens <paramref name="connections"/> idle clients in child processes; dispose the result to close them.</summary>
    public static async Task<IDisposable> OpenAsync(int port, int connections, SslProtocols protocol, int? cpu)
    {
        var children = new List<Process>();
        for (int first = 0; first < connections; first += PerProcess)
        {
            int count = Math.Min(PerProcess, connections - first);
            children.Add(ServerProcess.StartSelf(
                ["tls-idle-clients", port.ToString(CultureInfo.InvariantCulture), count.ToString(CultureInfo.InvariantCulture), first.ToString(CultureInfo.InvariantCulture), protocol == SslProtocols.Tls12 ? "tls12" : "tls13"],
                cpu));
        }

        var handle = new Children(children);
        foreach (Process child in children)
        {
            string? line = await child.StandardOutput.ReadLineAsync();
            if (line is null || !line.StartsWith("OPEN ", StringComparison.Ordinal))
            {
                handle.Dispose();
                throw new InvalidOperationException("an idle client process failed: " + line);
            }
        }

        return handle;
    }

    private sealed class Children(List<Process> processes) : IDisposable
    {
        public void Dispose()
        {
            foreach (Process process in processes)
            {
                try
                {
                    process.StandardInput.WriteLine("quit");
                    if (!process.WaitForExit(10_000))
                    {
                        process.Kill();
                    }
                }
                catch (IOException)
                {
                    process.Kill();
                }

                process.Dispose();
            }
        }
    }
}
