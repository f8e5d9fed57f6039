namespace Chat.Gateway.Tls.OpenSsl.Interop;

/// <summary>
/// Live native objects of the engine, process-wide: tests check that every <c>SSL</c> is freed
/// once its connection is gone, and operators can compare it with the connection count.
/// </summary>
internal static class NativeHandleCounts
{
    private static long _connections;
    private static long _contexts;

    /// <summary><c>SSL</c> objects not yet freed (one per open connection).</summary>
    public static long Connections => Interlocked.Read(ref _connections);

    /// <summary><c>SSL_CTX</c> handles not yet released (one per certificate generation still referenced).</summary>
    public static long Contexts => Interlocked.Read(ref _contexts);

    internal static void ConnectionCreated() => Interlocked.Increment(ref _connections);

    internal static void ConnectionFreed() => Interlocked.Decrement(ref _connections);

    internal static void ContextCreated() => Interlocked.Increment(ref _contexts);

    internal static void ContextFreed() => Interlocked.Decrement(ref _contexts);
}
