namespace Chat.Benchmarks.Tls;

/// <summary>A TLS server under measurement, whatever runs it (our child process or HAProxy).</summary>
internal interface IBenchServer : IDisposable
{
    int Port { get; }

    /// <summary>Managed heap (0 when not .NET) and resident memory of the server's processes.</summary>
    Task<(long Heap, long Rss)> MeasureAsync();

    /// <summary>Full and resumed handshakes seen by the server; (-1, -1) when it cannot tell.</summary>
    Task<(long Full, long Resumed)> StatsAsync();

    /// <summary>CPU time used by the server's processes so far.</summary>
    TimeSpan ProcessorTime();
}
