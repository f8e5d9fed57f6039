using System.Collections.Concurrent;

namespace Chat.Gateway.Tls.OpenSsl.Interop;

/// <summary>
/// Managed objects that native callbacks (SNI, ticket keys) reach through the integer id OpenSSL
/// hands back as their argument. An id rather than a GCHandle: a connection still handshaking
/// after its engine was disposed finds no target and fails the callback cleanly, where a freed
/// GCHandle would be a use-after-free.
/// </summary>
internal static class CallbackTargets
{
    private static readonly ConcurrentDictionary<nint, object> Targets = new();
    private static long _nextId;

    public static nint Register(object target)
    {
        nint id = (nint)Interlocked.Increment(ref _nextId);
        Targets[id] = target;
        return id;
    }

    public static void Unregister(nint id) => Targets.TryRemove(id, out _);

    public static T? Find<T>(nint id)
        where T : class => Targets.TryGetValue(id, out object? target) ? target as T : null;
}
