using Chat.ChatService.Diagnostics;
using Chat.ChatService.Ownership;
using Chat.ChatService.Storage;
using Chat.Protocol.Packets;
using Chat.Protocol.Security;

namespace Chat.ChatService.Chat;

/// <summary>Auth: token, device id, the stream's route, ring ownership, then joining the couple's session.</summary>
internal sealed partial class ChatConnectionHandler
{
    private TokenClaims? _claims;
    private string? _deviceId;

    private void StartAuth(Auth auth)
    {
        _state = ConnectionState.Authenticating;
        // Nothing more is read until the session answers; what one read already decoded waits in _queued.
        _context!.Channel.Configuration.AutoRead = false;

        var verification = _services.Tokens.Verify(auth.Token);
        if (!verification.IsValid)
        {
            ShardLog.AuthRefused(_services.Logger, _connection!.Name, verification.Failure.ToString());
            var code = verification.Failure == TokenFailure.Expired ? ErrorCode.TokenExpired : ErrorCode.AuthFailed;
            End(EndReason.AuthFailed, new Error { Code = code, Text = $"token refused: {verification.Failure}" });
            return;
        }

        var claims = verification.Claims;
        if (!TokenIds.IsValid(auth.DeviceId) || !RedisKeys.IsValidId(auth.DeviceId))
        {
            End(EndReason.AuthFailed, new Error { Code = ErrorCode.AuthFailed, Text = "deviceId must be 1-64 characters of [A-Za-z0-9_-]" });
            return;
        }

        var route = _connection!.Route;
        if (route is not null && !string.Equals(route.CoupleId, claims.CoupleId, StringComparison.Ordinal))
        {
            // The gateway routed this stream for another couple than the token names: never trust the route.
            ShardLog.RouteMismatch(_services.Logger, _connection.Name, route.CoupleId, claims.CoupleId);
            End(EndReason.ProtocolError, new Error { Code = ErrorCode.AuthFailed, Text = "the token is for another couple than the stream" });
            return;
        }

        _claims = claims;
        _deviceId = auth.DeviceId!;
        if (route is null)
        {
            OnOwnership(_services.Ownership.Check(claims.CoupleId));
            return;
        }

        var pending = _services.Ownership.CheckAtEpochAsync(claims.CoupleId, route.RingEpoch, CancellationToken.None);
        if (pending.IsCompletedSuccessfully)
        {
            OnOwnership(pending.Result);
        }
        else
        {
            _ = AwaitOwnershipAsync(pending);
        }
    }

    private async Task AwaitOwnershipAsync(ValueTask<OwnershipDecision> pending)
    {
        OwnershipDecision decision;
        try
        {
            decision = await pending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A bug in the ring view; the client reconnects and the gateway routes it again.
            ShardLog.ConnectionFault(_services.Logger, _connection!.Name, ex);
            decision = new OwnershipDecision(false, _services.Ownership.Ring.Current.Epoch, null);
        }

        RunOnConnectionLoop(() => OnOwnership(decision));
    }

    private void OnOwnership(OwnershipDecision decision)
    {
        if (_state != ConnectionState.Authenticating)
        {
            return;
        }

        if (!decision.Owned)
        {
            ShardLog.NotOwner(_services.Logger, _connection!.Name, _claims!.CoupleId, decision.Epoch, decision.Owner ?? "(none)");
            End(EndReason.NotOwner, new Error { Code = ErrorCode.NotOwner, Text = $"couple not owned by this shard at ring epoch {decision.Epoch}" }, decision.Epoch);
            return;
        }

        AttachToCouple();
    }

    private void AttachToCouple() =>
        _registry.Attach(_claims!.CoupleId, new AttachRequest(_claims.UserId, _deviceId!, _connection!, _connection!.Route?.Migrated ?? false, this));

    void IAttachObserver.Attached(DeviceLink device) => RunOnConnectionLoop(() =>
    {
        if (_state != ConnectionState.Authenticating)
        {
            // Closed while the session was attaching: leave again.
            device.Session.Execute(() => device.Session.Detach(device));
            return;
        }

        _state = ConnectionState.Authenticated;
        _device = device;
        _authDeadline?.Cancel();
        ShardLog.Authenticated(_services.Logger, _connection!.Name, device.UserId, device.DeviceId, device.Session.CoupleId);
        while (_queued.TryDequeue(out var packet))
        {
            OnAuthenticatedPacket(packet);
        }

        _context!.Channel.Configuration.AutoRead = true;
    });

    void IAttachObserver.Refused(EndReason reason, Error? error, long epoch) => RunOnConnectionLoop(() => End(reason, error, epoch));

    void IAttachObserver.Retry() => RunOnConnectionLoop(() =>
    {
        if (_state == ConnectionState.Authenticating)
        {
            AttachToCouple();
        }
    });

    private void RunOnConnectionLoop(Action action)
    {
        try
        {
            _context!.Executor.Execute(action);
        }
        catch (DotNetty.Common.Concurrency.RejectedExecutionException)
        {
            // The connection's loop shuts down with the process.
        }
    }
}
