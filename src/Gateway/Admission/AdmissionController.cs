using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Chat.Gateway.Lifecycle;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chat.Gateway.Admission;

/// <summary>
/// Decides which client connections the gateway takes: the connection limits (total and per
/// source), the handshake budget (<see cref="HandshakeRateLimiter"/>), and no new connections
/// once draining. Keeps the set of admitted connections for the drain. One per process, shared
/// by every connection's <see cref="AdmissionHandler"/> (thread-safe).
/// </summary>
/// <remarks>
/// Wiring: <c>pipeline.AddLast("admission", controller.CreateHandler())</c> as the first handler
/// of every client channel, before the TLS handler.
/// </remarks>
public sealed class AdmissionController : IClientConnections, IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly ConcurrentDictionary<IChannel, byte> _channels = new();
    private readonly HandshakeRateLimiter _handshakes;
    private readonly ILogger _logger;
    private int _count;
    private long _lastAcceptedTicks;
    private volatile bool _stopped;

    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public AdmissionController(AdmissionOptions options, TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null, ILogger<AdmissionController>? logger = null)
    {
        if (options.Validate() is { } error)
        {
            throw new ArgumentException(error, nameof(options));
        }

        Options = options;
        Time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<AdmissionController>.Instance;
        _handshakes = new HandshakeRateLimiter(options, Time);
        Metrics = new AdmissionMetrics(meterFactory, () => Volatile.Read(ref _count));
    }

    public AdmissionOptions Options { get; }

    /// <summary>Client connections open now.</summary>
    public int Count => Volatile.Read(ref _count);

    public DateTimeOffset? LastAcceptedAt => Volatile.Read(ref _lastAcceptedTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>False once <see cref="StopAdmitting"/> was called.</summary>
    public bool IsAdmitting => !_stopped;

    internal TimeProvider Time { get; }

    internal AdmissionMetrics Metrics { get; }

    internal ILogger Logger => _logger;

    /// <summary>A handler for one new client channel; put it first in the pipeline.</summary>
    public IChannelHandler CreateHandler() => new AdmissionHandler(this);

    /// <summary>
    /// Counts a new connection from <paramref name="address"/> (null when unknown: only the total
    /// applies) unless a limit is reached. Every <see cref="AdmissionDecision.Admitted"/> must be
    /// followed by one <see cref="Release"/> with the same address.
    /// </summary>
    public AdmissionDecision TryAdmit(IPAddress? address)
    {
        if (_stopped)
        {
            return Refuse(AdmissionDecision.Draining);
        }

        var key = address is null ? null : AddressKey(address, Options.IPv6PrefixLength);
        lock (_lock)
        {
            if (Options.MaxConnections > 0 && _count >= Options.MaxConnections)
            {
                return Refuse(AdmissionDecision.TooManyConnections);
            }

            if (key is not null)
            {
                _perAddress.TryGetValue(key, out var fromAddress);
                if (Options.MaxConnectionsPerAddress > 0 && fromAddress >= Options.MaxConnectionsPerAddress)
                {
                    return Refuse(AdmissionDecision.TooManyFromAddress);
                }

                _perAddress[key] = fromAddress + 1;
            }

            _count++;
        }

        Volatile.Write(ref _lastAcceptedTicks, Time.GetUtcNow().UtcTicks);
        Metrics.Accepted();
        return AdmissionDecision.Admitted;
    }

    /// <summary>Forgets a connection admitted by <see cref="TryAdmit"/>.</summary>
    public void Release(IPAddress? address)
    {
        var key = address is null ? null : AddressKey(address, Options.IPv6PrefixLength);
        lock (_lock)
        {
            _count--;
            if (key is not null && _perAddress.TryGetValue(key, out var fromAddress))
            {
                if (fromAddress <= 1)
                {
                    _perAddress.Remove(key);
                }
                else
                {
                    _perAddress[key] = fromAddress - 1;
                }
            }
        }
    }

    /// <summary>Takes from the handshake budget; false means close the connection before the handshake.</summary>
    public bool TryAdmitHandshake(HandshakeKind kind)
    {
        var admitted = _handshakes.TryAcquire(kind);
        Metrics.Handshake(kind, admitted);
        if (!admitted)
        {
            Metrics.Rejected("handshake_rate");
        }

        return admitted;
    }

    /// <summary>Refuses every new connection from now on (drain). Open connections are not touched.</summary>
    public void StopAdmitting()
    {
        if (!_stopped)
        {
            _stopped = true;
            AdmissionLog.StoppedAdmitting(_logger, Count);
        }
    }

    public IReadOnlyList<IChannel> Snapshot() => [.. _channels.Keys];

    public void Dispose() => Metrics.Dispose();

    internal void Track(IChannel channel) => _channels.TryAdd(channel, 0);

    internal void Untrack(IChannel channel) => _channels.TryRemove(channel, out _);

    /// <summary>
    /// The key a source is counted under: IPv4 (also when mapped into IPv6) as is, IPv6 cut to the
    /// configured prefix, since one subscriber usually holds a whole /64.
    /// </summary>
    internal static IPAddress AddressKey(IPAddress address, int ipv6PrefixLength)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        for (var bit = ipv6PrefixLength; bit < 128; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }

    private AdmissionDecision Refuse(AdmissionDecision decision)
    {
        Metrics.Rejected(decision switch
        {
            AdmissionDecision.TooManyConnections => "max_connections",
            AdmissionDecision.TooManyFromAddress => "max_per_address",
            _ => "draining",
        });
        return decision;
    }
}
