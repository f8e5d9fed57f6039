using System.Net;
using System.Security.Cryptography.X509Certificates;
using Chat.Client.Connection;
using Chat.Protocol.Framing;
using Chat.Protocol.Security;

namespace Chat.Client;

/// <summary>
/// Settings of a <see cref="ChatClient"/>. Defaults suit a phone on a mobile network; every value is
/// validated when the client is constructed (<see cref="Validate"/>). A record, so per-device options
/// derive from a template with `with { DeviceId = ... }`.
/// </summary>
public sealed record ChatClientOptions
{
    /// <summary><see cref="StartAfterSeq"/> value meaning "skip the history: start at the couple's latest seq on first connect".</summary>
    public const long FromLatest = -1;

    /// <summary>
    /// Where to connect: one or more <c>host:port</c> (IPv6 as <c>[::1]:port</c>). Required. With TLS these
    /// are gateways; without, chat shards directly (development and tests). To move elsewhere (GoAway,
    /// NotOwner) the client picks another entry, or another address of the same DNS name.
    /// </summary>
    public IList<string> Endpoints { get; init; } = [];

    /// <summary>
    /// Speak TLS 1.2/1.3 (gateways). Default true. False is plain TCP, for a shard's direct listener on a
    /// trusted network only: tokens and messages then travel in clear.
    /// </summary>
    public bool UseTls { get; init; } = true;

    /// <summary>The name the server certificate must carry (and the SNI sent). Default null: the endpoint's host.</summary>
    public string? TlsServerName { get; init; }

    /// <summary>
    /// A CA certificate to trust instead of the system's roots. Default null (system trust). When set,
    /// the server's chain must end at this CA and no other; revocation is not checked, because a
    /// private CA rarely publishes a CRL (pinning is the trust decision).
    /// </summary>
    public X509Certificate2? PinnedCaCertificate { get; init; }

    /// <summary>
    /// Returns the auth token (docs/protocol.md). Required. Called before every connection attempt, and
    /// once more at once when the server refused the previous token, so it should refresh an expired or
    /// nearly expired token rather than return a cached one. An exception counts as a failed attempt.
    /// </summary>
    public Func<CancellationToken, ValueTask<string>>? TokenProvider { get; init; }

    /// <summary>This device's id: 1-64 characters of [A-Za-z0-9_-], stable across restarts. Required.</summary>
    public string DeviceId { get; init; } = string.Empty;

    /// <summary>
    /// The highest seq the app has already stored (persist <see cref="ChatClient.LastSeq"/> and pass it
    /// back). Default 0: the whole history is delivered on first connect. <see cref="FromLatest"/>: only
    /// messages after the couple's latest seq at first connect.
    /// </summary>
    public long StartAfterSeq { get; init; }

    /// <summary>
    /// Offer TLS session resumption (tickets) on reconnects. Default true: a reconnect to the same
    /// gateway then costs a resumed handshake instead of a full one. False forces full handshakes
    /// (a load harness measuring full-handshake cost).
    /// </summary>
    public bool TlsResumption { get; init; } = true;

    /// <summary>
    /// The local (source) address to bind before connecting. Default null: the system chooses. A load
    /// harness spreads many connections over 127.0.0.x this way, since each source address has its own
    /// range of ephemeral ports. Only endpoint addresses of the same family are tried when it is set.
    /// </summary>
    public IPAddress? LocalAddress { get; init; }

    /// <summary>DNS, TCP connect and TLS handshake, per attempt. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>From sending Auth to AuthOk. Default 10 s (the server's own auth deadline).</summary>
    public TimeSpan AuthTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// First reconnect backoff ceiling. Default 200 ms. Delays use full jitter: a random value between
    /// 0 and min(<see cref="MaxBackoff"/>, InitialBackoff x 2^failures), so clients that lost the same
    /// server spread their reconnects.
    /// </summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Largest backoff ceiling. Default 30 s. Lower values hammer a recovering cluster harder.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Randomness for backoff and GoAway jitter. Default null: <see cref="Random.Shared"/>. Tests pass a
    /// seeded instance. Never used for clientMsgIds, which always come from a cryptographic generator
    /// (two clients with the same seed must not produce the same ids).
    /// </summary>
    public Random? Random { get; init; }

    /// <summary>
    /// How often to send Ping when connected. Default 15 s. A connection on which nothing arrived for two
    /// intervals is closed and replaced. <see cref="TimeSpan.Zero"/> turns pings off: a silently dead
    /// connection (NAT timeout, phone switching networks) then goes unnoticed until the next write fails.
    /// </summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Sends waiting for their Ack at once; further <see cref="ChatClient.SendAsync"/> calls wait. Default 64.</summary>
    public int MaxInFlightSends { get; init; } = 64;

    /// <summary>
    /// How long <see cref="ChatClient.SendAsync"/> keeps trying (reconnects, Unavailable, RateLimited)
    /// before it returns <see cref="SendStatus.TimedOut"/>. Default 2 min.
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits until the caller cancels.
    /// </summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How many RateLimited answers a send waits out (retryAfterMs each) before it gives up. Default 5.</summary>
    public int MaxRateLimitRetries { get; init; } = 5;

    /// <summary>
    /// A Sync unanswered this long means the connection is broken (answers are matched in order, so a
    /// lost one cannot be skipped): the client reconnects. Also bounds <see cref="ChatClient.SyncAsync"/>.
    /// Default 30 s.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages asked for per Sync when the client catches up. Default 200 (the shard may return fewer).</summary>
    public int SyncPageSize { get; init; } = 200;

    /// <summary>
    /// When the client's own Ack arrives before earlier messages of the partner (the two are not
    /// ordered on the wire), wait this long for them before syncing. Default 1 s.
    /// </summary>
    public TimeSpan GapSyncDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Messages held above a gap until the gap fills. Default 4096. Beyond it the highest are dropped
    /// and fetched again by Sync, so the bound costs a round trip, never a message.
    /// </summary>
    public int MaxHeldMessages { get; init; } = 4096;

    /// <summary>
    /// Events queued for the app's handlers. Default 1024. When the app's handlers fall this far
    /// behind, the client stops reading the socket (the server then holds or drops the connection,
    /// and the client catches up by Sync after reconnecting).
    /// </summary>
    public int EventQueueCapacity { get; init; } = 1024;

    /// <summary>Frame limits; must match the server's. Default null: <see cref="FrameOptions.Default"/>.</summary>
    public FrameOptions? Frames { get; init; }

    /// <summary>The clock for timeouts, backoff and pings. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Returns why these options cannot work (one line), or null when they are valid.</summary>
    public string? Validate()
    {
        if (Endpoints is null || Endpoints.Count == 0)
        {
            return "Endpoints needs at least one host:port";
        }

        foreach (var endpoint in Endpoints)
        {
            if (!EndpointAddress.TryParse(endpoint, out _))
            {
                return $"Endpoints: '{endpoint}' is not host:port (IPv6 as [addr]:port, port 1-65535)";
            }
        }

        if (TlsServerName is { Length: 0 })
        {
            return "TlsServerName must not be empty (null uses the endpoint's host)";
        }

        if (TokenProvider is null)
        {
            return "TokenProvider is required";
        }

        if (!TokenIds.IsValid(DeviceId))
        {
            return $"DeviceId must be 1-{TokenIds.MaxLength} characters of [A-Za-z0-9_-] (is '{DeviceId}')";
        }

        if (StartAfterSeq < FromLatest)
        {
            return $"StartAfterSeq must be >= 0, or FromLatest (is {StartAfterSeq})";
        }

        return CheckPositive(ConnectTimeout, nameof(ConnectTimeout))
            ?? CheckPositive(AuthTimeout, nameof(AuthTimeout))
            ?? CheckPositive(InitialBackoff, nameof(InitialBackoff))
            ?? (MaxBackoff < InitialBackoff ? $"MaxBackoff ({MaxBackoff}) must not be below InitialBackoff ({InitialBackoff})" : null)
            ?? (PingInterval < TimeSpan.Zero ? $"PingInterval must not be negative (is {PingInterval})" : null)
            ?? (MaxInFlightSends < 1 ? $"MaxInFlightSends must be at least 1 (is {MaxInFlightSends})" : null)
            ?? (SendTimeout != Timeout.InfiniteTimeSpan ? CheckPositive(SendTimeout, nameof(SendTimeout)) : null)
            ?? (MaxRateLimitRetries < 0 ? $"MaxRateLimitRetries must not be negative (is {MaxRateLimitRetries})" : null)
            ?? CheckPositive(RequestTimeout, nameof(RequestTimeout))
            ?? (SyncPageSize < 1 ? $"SyncPageSize must be at least 1 (is {SyncPageSize})" : null)
            ?? (GapSyncDelay < TimeSpan.Zero ? $"GapSyncDelay must not be negative (is {GapSyncDelay})" : null)
            ?? (MaxHeldMessages < 1 ? $"MaxHeldMessages must be at least 1 (is {MaxHeldMessages})" : null)
            ?? (EventQueueCapacity < 1 ? $"EventQueueCapacity must be at least 1 (is {EventQueueCapacity})" : null)
            ?? (TimeProvider is null ? "TimeProvider is required" : null)
            ?? Frames?.Validate();
    }

    private static string? CheckPositive(TimeSpan value, string name) =>
        value <= TimeSpan.Zero ? $"{name} must be positive (is {value})" : null;
}
