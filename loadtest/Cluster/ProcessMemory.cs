using System.Globalization;

namespace Chat.LoadTest.Cluster;

/// <summary>Resident memory of a process, from /proc/&lt;pid&gt;/status (Linux).</summary>
internal static class ProcessMemory
{
    /// <summary>VmRSS in bytes, or null when the process is gone or the line is missing.</summary>
    public static long? RssBytes(int pid)
    {
        try
        {
            return ParseVmRss(File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The VmRSS line of a /proc status text ("VmRSS:   123456 kB"), in bytes.</summary>
    public static long? ParseVmRss(string status)
    {
        foreach (var line in status.Split('\n'))
        {
            if (!line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = line["VmRSS:".Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 1 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
            {
                return kb * 1024;
            }
        }

        return null;
    }
}
