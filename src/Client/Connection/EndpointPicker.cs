using Chat.Client.Retry;

namespace Chat.Client.Connection;

/// <summary>
/// Chooses the endpoint of each connection attempt: round robin from a random start (so clients
/// configured with the same list spread over it), skipping the endpoint the client was just sent
/// away from (GoAway, NotOwner) when there is another. Thread-safe.
/// </summary>
internal sealed class EndpointPicker
{
    private readonly EndpointAddress[] _endpoints;
    private readonly Lock _lock = new();
    private int _next;

    public EndpointPicker(IReadOnlyList<EndpointAddress> endpoints, JitterSource jitter)
    {
        ArgumentOutOfRangeException.ThrowIfZero(endpoints.Count);
        _endpoints = [.. endpoints];
        _next = jitter.Index(_endpoints.Length);
    }

    public int Count => _endpoints.Length;

    /// <summary>The next endpoint, other than <paramref name="avoid"/> when possible.</summary>
    public EndpointAddress Pick(EndpointAddress? avoid)
    {
        lock (_lock)
        {
            var candidate = Take();
            if (_endpoints.Length > 1 && avoid is { } avoided && candidate == avoided)
            {
                candidate = Take();
            }

            return candidate;
        }
    }

    private EndpointAddress Take()
    {
        var endpoint = _endpoints[_next];
        _next = (_next + 1) % _endpoints.Length;
        return endpoint;
    }
}
