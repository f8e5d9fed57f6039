namespace Chat.Hosting.Lifecycle;

public enum DrainPhase
{
    /// <summary>Taking traffic.</summary>
    Serving,

    /// <summary>Drain requested and running: no new work is accepted.</summary>
    Draining,

    /// <summary>Drain finished; the process is stopping (exit code 0).</summary>
    Drained,
}
