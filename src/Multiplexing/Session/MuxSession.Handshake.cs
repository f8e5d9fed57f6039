using Chat.Multiplexing.Framing;
using Chat.Protocol.Multiplexing;

namespace Chat.Multiplexing.Session;

/// <summary>
/// The handshake (challenge-response HMAC with the cluster key, both sides proven):
/// <code>
///   gateway (client)                          shard (server)
///        |  &lt;------------- Challenge{v, shardId, sN}   (right after accept)
///        |  Hello{v, gwId, keyId, gN, mac_g, settings} --------------&gt;  verify mac_g
///        |  &lt;------------- HelloOk{shardId, mac_s, settings}          (or GoAway HandshakeFailed, close)
///  verify mac_s                                    |
/// </code>
/// Nothing but these frames is accepted before HelloOk; a deadline closes a silent peer.
/// </summary>
internal sealed partial class MuxSession
{
    private readonly string? _expectedShardId;
    private readonly TaskCompletionSource<MuxConnectResult> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[]? _serverNonce;
    private byte[]? _clientNonce;
    private MuxClientConnection? _clientConnection;

    /// <summary>Client side: completes when the handshake succeeds or fails (never faults).</summary>
    public Task<MuxConnectResult> Connected => _connected.Task;

    private void SendChallenge()
    {
        var options = (MuxServerOptions)_options;
        _serverNonce = MuxHandshakeMac.NewNonce();
        var challenge = new MuxChallenge { Version = MuxProtocol.Version, ShardId = options.ShardId, Nonce = _serverNonce };
        Write(MuxFrameWriter.Control(Ctx.Allocator, MuxFrameType.Challenge, MuxFrameFlags.None, 0, challenge));
        RequestFlush();
    }

    private void HandleHandshakeFrame(MuxFrame frame)
    {
        try
        {
            var payload = frame.Payload.GetIoBuffer();
            if (_role == MuxRole.Server)
            {
                OnServerHandshakeFrame(frame.Header.Type, payload);
            }
            else
            {
                OnClientHandshakeFrame(frame.Header.Type, payload);
            }
        }
        finally
        {
            frame.Payload.Release();
        }
    }

    private void OnServerHandshakeFrame(MuxFrameType type, ReadOnlySpan<byte> payload)
    {
        if (type != MuxFrameType.Hello)
        {
            RejectHandshake($"expected Hello, got {type}");
            return;
        }

        if (MuxBodyCodec.TryDecode(payload, out MuxHello? hello) != MuxBodyStatus.Ok || hello is null)
        {
            RejectHandshake("Hello does not parse");
            return;
        }

        if (hello.Version != MuxProtocol.Version)
        {
            RejectHandshake($"unsupported mux version {hello.Version}");
            return;
        }

        var keys = _options.Keys!;
        if (!keys.TryGetKey(hello.KeyId!, out var key))
        {
            RejectHandshake($"unknown key id '{hello.KeyId}'");
            return;
        }

        if (!MuxHandshakeMac.VerifyHello(key, _serverNonce, hello.Nonce, hello.GatewayId!, hello.Mac))
        {
            RejectHandshake($"bad Hello MAC from gateway '{hello.GatewayId}' (key '{hello.KeyId}')");
            return;
        }

        var options = (MuxServerOptions)_options;
        var helloOk = new MuxHelloOk
        {
            ShardId = options.ShardId,
            Mac = MuxHandshakeMac.ComputeHelloOk(key, hello.Nonce, _serverNonce, options.ShardId),
            Settings = _options.ToSettings(),
        };
        Write(MuxFrameWriter.Control(Ctx.Allocator, MuxFrameType.HelloOk, MuxFrameFlags.None, 0, helloOk));
        RequestFlush();
        Establish(hello.GatewayId!, hello.Settings!);
    }

    private void OnClientHandshakeFrame(MuxFrameType type, ReadOnlySpan<byte> payload)
    {
        if (type == MuxFrameType.GoAway)
        {
            var text = MuxBodyCodec.TryDecode(payload, out MuxGoAway? goAway) == MuxBodyStatus.Ok ? $"{goAway!.Reason}: {goAway.Text}" : "GoAway";
            FailClientHandshake(MuxConnectStatus.Rejected, $"shard refused the handshake: {text}");
            return;
        }

        if (_serverNonce is null)
        {
            OnChallenge(type, payload);
        }
        else
        {
            OnHelloOk(type, payload);
        }
    }

    private void OnChallenge(MuxFrameType type, ReadOnlySpan<byte> payload)
    {
        if (type != MuxFrameType.Challenge || MuxBodyCodec.TryDecode(payload, out MuxChallenge? challenge) != MuxBodyStatus.Ok || challenge is null)
        {
            FailClientHandshake(MuxConnectStatus.ProtocolError, $"expected a Challenge, got {type}");
            return;
        }

        if (challenge.Version != MuxProtocol.Version)
        {
            FailClientHandshake(MuxConnectStatus.ProtocolError, $"shard speaks mux version {challenge.Version}");
            return;
        }

        if (_expectedShardId is not null && !string.Equals(challenge.ShardId, _expectedShardId, StringComparison.Ordinal))
        {
            FailClientHandshake(MuxConnectStatus.ShardMismatch, $"expected shard '{_expectedShardId}', found '{challenge.ShardId}'");
            return;
        }

        var options = (MuxClientOptions)_options;
        var keys = options.Keys!;
        _serverNonce = challenge.Nonce!;
        _clientNonce = MuxHandshakeMac.NewNonce();
        PeerId = challenge.ShardId!;
        var hello = new MuxHello
        {
            Version = MuxProtocol.Version,
            GatewayId = options.GatewayId,
            KeyId = keys.SigningKeyId,
            Nonce = _clientNonce,
            Mac = MuxHandshakeMac.ComputeHello(keys.SigningKey, _serverNonce, _clientNonce, options.GatewayId),
            Settings = _options.ToSettings(),
        };
        Write(MuxFrameWriter.Control(Ctx.Allocator, MuxFrameType.Hello, MuxFrameFlags.None, 0, hello));
        RequestFlush();
    }

    private void OnHelloOk(MuxFrameType type, ReadOnlySpan<byte> payload)
    {
        if (type != MuxFrameType.HelloOk || MuxBodyCodec.TryDecode(payload, out MuxHelloOk? helloOk) != MuxBodyStatus.Ok || helloOk is null)
        {
            FailClientHandshake(MuxConnectStatus.ProtocolError, $"expected HelloOk, got {type}");
            return;
        }

        if (!string.Equals(helloOk.ShardId, PeerId, StringComparison.Ordinal))
        {
            FailClientHandshake(MuxConnectStatus.ShardMismatch, $"Challenge named shard '{PeerId}', HelloOk '{helloOk.ShardId}'");
            return;
        }

        if (!MuxHandshakeMac.VerifyHelloOk(_options.Keys!.SigningKey, _clientNonce, _serverNonce, helloOk.ShardId!, helloOk.Mac))
        {
            FailClientHandshake(MuxConnectStatus.ServerNotAuthenticated, $"bad HelloOk MAC from shard '{helloOk.ShardId}'");
            return;
        }

        Establish(helloOk.ShardId!, helloOk.Settings!);
        _clientConnection = new MuxClientConnection(Ctx.Channel, this);
        _connected.TrySetResult(new MuxConnectResult(MuxConnectStatus.Connected, _clientConnection, $"connected to shard '{PeerId}'"));
    }

    private void Establish(string peerId, MuxSettings peerSettings)
    {
        _handshakeTimer?.Cancel();
        _serverNonce = null;
        _clientNonce = null;
        PeerId = peerId;
        ApplyPeerSettings(peerSettings);
        _state = MuxSessionState.Established;
        _acceptingStreams = true;
        MuxLog.Established(_logger, _connectionId, peerId, _role == MuxRole.Server ? "shard side" : "gateway side");
        StartPinging();
    }

    private void ApplyPeerSettings(MuxSettings settings)
    {
        _peerSettings = settings;
        _sendChunk = Math.Min(_options.MaxDataPayload, settings.MaxFramePayload);
    }

    /// <summary>Server side: tell the peer why (GoAway HandshakeFailed) and close.</summary>
    private void RejectHandshake(string detail)
    {
        MuxLog.HandshakeFailed(_logger, _connectionId, RemoteAddress, detail);
        FailConnection(MuxConnectionLossReason.ProtocolError, GoAwayReason.HandshakeFailed, detail);
    }

    /// <summary>Client side: report the outcome to the connect call and close.</summary>
    private void FailClientHandshake(MuxConnectStatus status, string detail)
    {
        MuxLog.HandshakeFailed(_logger, _connectionId, RemoteAddress, detail);
        _connected.TrySetResult(new MuxConnectResult(status, null, detail));
        CloseConnection(MuxConnectionLossReason.ProtocolError, detail);
    }

    private void OnHandshakeTimeout()
    {
        if (_state != MuxSessionState.Handshaking)
        {
            return;
        }

        MuxLog.HandshakeTimeout(_logger, _connectionId, RemoteAddress, _options.HandshakeTimeout);
        _connected.TrySetResult(new MuxConnectResult(MuxConnectStatus.HandshakeTimeout, null, $"no handshake within {_options.HandshakeTimeout}"));
        FailConnection(MuxConnectionLossReason.ProtocolError, GoAwayReason.HandshakeFailed, "handshake timeout");
    }

    private void CompleteClientOnClose()
    {
        _connected.TrySetResult(new MuxConnectResult(MuxConnectStatus.ProtocolError, null, "the shard closed the connection during the handshake"));
        _goAway.TrySetResult(null);
    }
}
