using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Chat.LoadTest.Cluster;

/// <summary>
/// ZooKeeper and Redis servers started by scripts/lib/servers.sh: each in a folder
/// <c>&lt;servers&gt;/&lt;name&gt;/{pid,port,start,kill,log}</c>. The harness finds a server by the port in
/// the connect string it was given, and restarts or kills it with the folder's own scripts.
/// </summary>
internal sealed class ExternalServers(string serversDir)
{
    /// <summary>The folder of the server listening on <paramref name="port"/>, or null.</summary>
    public string? FolderOf(int port)
    {
        if (!Directory.Exists(serversDir))
        {
            return null;
        }

        foreach (var dir in Directory.GetDirectories(serversDir))
        {
            var portFile = Path.Combine(dir, "port");
            if (File.Exists(portFile) && File.ReadAllText(portFile).Trim() == port.ToString(CultureInfo.InvariantCulture))
            {
                return dir;
            }
        }

        return null;
    }

    /// <summary>
    /// The ZooKeeper leader among the servers of <paramref name="connectString"/> (asked with the
    /// <c>srvr</c> four-letter word), as (port, folder); null when none says it leads.
    /// </summary>
    public async Task<(int Port, string Folder)?> FindZooKeeperLeaderAsync(string connectString, CancellationToken cancellationToken)
    {
        foreach (var port in Ports(connectString))
        {
            var answer = await FourLetterWordAsync(port, "srvr", cancellationToken);
            if (answer is not null && answer.Contains("Mode: leader", StringComparison.Ordinal) && FolderOf(port) is { } folder)
            {
                return (port, folder);
            }
        }

        return null;
    }

    /// <summary>Runs the folder's <c>kill</c> (SIGKILL, waits for exit) or <c>start</c> (waits until it serves) script.</summary>
    public static async Task<(bool Ok, string Output)> RunScriptAsync(string folder, string script, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Path.Combine(folder, script)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(40));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (false, $"{script} in {folder} did not finish within 40 s");
        }

        return (process.ExitCode == 0, (await output) + (await errors));
    }

    /// <summary>The ports of a connect string (<c>host:port,host:port[/chroot]</c>).</summary>
    public static IReadOnlyList<int> Ports(string connectString)
    {
        var hosts = connectString.Split('/')[0];
        var ports = new List<int>();
        foreach (var part in hosts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = part.LastIndexOf(':');
            if (colon > 0 && int.TryParse(part.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                ports.Add(port);
            }
        }

        return ports;
    }

    private static async Task<string?> FourLetterWordAsync(int port, string word, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(word), timeout.Token);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            return await reader.ReadToEndAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return null;
        }
    }
}
