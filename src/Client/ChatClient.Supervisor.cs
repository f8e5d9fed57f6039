using System.Net;
using Chat.Client.Connection;
using Chat.Client.Diagnostics;
using Chat.Client.Events;
using Chat.Protocol.Packets;

namespace Chat.Client;

/// <summary>
/// The connection loop: connect, authenticate, run the connection until it ends, back off, again.
/// Exactly one connection exists at a time, so the ordering buffer is only ever touched by one read
/// loop (or by this loop between two connections).
/// </summary>
public sealed partial class ChatClient
{
    private bool _startApplied;

    private async Task SuperviseAsync()
    {
        var token = _lifetime.Token;
        var failures = 0;
        var reason = DisconnectReason.None;
        string? detail = null;
        var tokenRetried = false;
        var connectedOnce = false;
        (EndpointAddress Endpoint, IPAddress? Address)? avoid = null;
        try
        {
            await ReportStateAsync(ConnectionState.Connecting, DisconnectReason.None, null).ConfigureAwait(false);
            while (!token.IsCancellationRequested)
            {
                var attempt = await ConnectOnceAsync(avoid, token).ConfigureAwait(false);
                if (attempt.Live is { } live)
                {
                    failures = 0;
                    tokenRetried = false;
                    if (connectedOnce)
                    {
                        _counters.Reconnected();
                    }

                    connectedOnce = true;
                    (reason, detail) = await RunConnectionAsync(live, attempt.AuthOk!).ConfigureAwait(false);
                    avoid = reason is DisconnectReason.GoAway or DisconnectReason.NotOwner or DisconnectReason.ShuttingDown
                        ? (live.Transport.Endpoint, live.Transport.Address)
                        : null;
                    await ReportStateAsync(ConnectionState.Reconnecting, reason, detail).ConfigureAwait(false);
                    if (reason == DisconnectReason.GoAway)
                    {
                        // The jittered moment inside the server's window has come: go now, elsewhere.
                        continue;
                    }
                }
                else
                {
                    (reason, detail) = (attempt.Failure, attempt.Detail);
                    ClientLog.ConnectFailed(_logger, attempt.Endpoint, reason, detail);
                    var closing = !connectedOnce && tokenRetried && reason is DisconnectReason.AuthFailed or DisconnectReason.TokenExpired;
                    if (!closing)
                    {
                        await ReportStateAsync(connectedOnce ? ConnectionState.Reconnecting : ConnectionState.Connecting, reason, detail).ConfigureAwait(false);
                    }

                    if (reason is DisconnectReason.AuthFailed or DisconnectReason.TokenExpired)
                    {
                        if (!tokenRetried)
                        {
                            // Ask the token provider once more at once: the token may just have expired.
                            tokenRetried = true;
                            continue;
                        }

                        if (!connectedOnce)
                        {
                            // A token refused at first connect is a configuration problem: say so and close.
                            var code = reason == DisconnectReason.TokenExpired ? ErrorCode.TokenExpired : ErrorCode.AuthFailed;
                            await ReportStateAsync(ConnectionState.Closed, reason, detail).ConfigureAwait(false);

                            _firstConnect.TrySetResult(new ConnectResult(ConnectStatus.AuthFailed, code, detail));
                            await _lifetime.CancelAsync().ConfigureAwait(false);
                            break;
                        }
                    }

                    failures++;
                    avoid = (attempt.Endpoint, attempt.Address);
                }

                var delay = _backoff.Next(failures);
                ClientLog.Backoff(_logger, (long)delay.TotalMilliseconds, failures);
                await Task.Delay(delay, _time, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Disposed (or the first connect was cancelled): the loop simply ends.
        }
        catch (Exception ex)
        {
            // A bug in the client: log it, close, and fail what waits rather than hang the app.
            ClientLog.SupervisorFailed(_logger, ex);
            await _lifetime.CancelAsync().ConfigureAwait(false);
        }
        finally
        {
            // Whatever ended the loop, nothing will be sent any more: settle what waits.
            _sends.CompleteAll(send => new SendResult(SendStatus.Closed, send.ClientMsgId, 0, default, send.Writes, "client closed"));
            _firstConnect.TrySetCanceled();
        }
    }

    private async ValueTask ReportStateAsync(ConnectionState state, DisconnectReason reason, string? detail)
    {
        if (SetState(state, reason, detail) is { } change)
        {
            // Closed is never dropped, also not while disposing: the last state the app sees must be the true one.
            var cancel = state == ConnectionState.Closed ? CancellationToken.None : _lifetime.Token;
            await EmitAsync(ClientEventKind.State, change, cancel: cancel).ConfigureAwait(false);
        }
    }

    private async Task<ConnectAttempt> ConnectOnceAsync((EndpointAddress Endpoint, IPAddress? Address)? avoid, CancellationToken token)
    {
        var endpoint = _endpoints.Pick(avoid?.Endpoint);
        var outcome = await ClientConnection.ConnectAsync(endpoint, avoid?.Endpoint == endpoint ? avoid?.Address : null, _connectSettings, token).ConfigureAwait(false);
        if (outcome.Connection is not { } transport)
        {
            return ConnectAttempt.Failed(endpoint, outcome.Address, outcome.Failure, outcome.Detail);
        }

        var (authOk, failure, detail) = await AuthenticateAsync(transport, token).ConfigureAwait(false);
        if (authOk is null)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            return ConnectAttempt.Failed(endpoint, transport.Address, failure, detail);
        }

        return new ConnectAttempt(new LiveConnection(transport, _time), authOk, endpoint, transport.Address, DisconnectReason.None, null);
    }

    private async Task<(AuthOk? AuthOk, DisconnectReason Failure, string? Detail)> AuthenticateAsync(ClientConnection transport, CancellationToken token)
    {
        string? authToken;
        try
        {
            authToken = await _options.TokenProvider!(token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!token.IsCancellationRequested)
        {
            ClientLog.TokenProviderFailed(_logger, ex);
            return (null, DisconnectReason.TokenUnavailable, ex.Message);
        }

        if (string.IsNullOrEmpty(authToken))
        {
            return (null, DisconnectReason.TokenUnavailable, "the token provider returned no token");
        }

        var auth = new Auth { Token = authToken, DeviceId = _options.DeviceId, LastSeq = LastSeq };
        if (!await transport.WriteAsync(auth, token).ConfigureAwait(false))
        {
            token.ThrowIfCancellationRequested();
            return (null, DisconnectReason.ConnectionLost, "writing Auth failed");
        }

        using var deadline = new CancellationTokenSource(_options.AuthTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, deadline.Token);
        var inbound = await transport.ReadAsync(linked.Token).ConfigureAwait(false);
        token.ThrowIfCancellationRequested();
        if (inbound.Status == InboundStatus.Closed)
        {
            return deadline.IsCancellationRequested
                ? (null, DisconnectReason.AuthTimeout, $"no AuthOk within {_options.AuthTimeout}")
                : (null, DisconnectReason.ConnectionLost, inbound.Detail);
        }

        if (inbound.Status == InboundStatus.BadFrame)
        {
            return (null, DisconnectReason.ProtocolError, inbound.Detail);
        }

        var packet = inbound.Packet!;
        if (packet.Kind == PacketKind.AuthOk)
        {
            return (packet.AuthOk, DisconnectReason.None, null);
        }

        if (packet.Kind != PacketKind.Error)
        {
            return (null, DisconnectReason.ProtocolError, $"the server answered Auth with {packet.Kind}");
        }

        var error = packet.Error!;
        var failure = error.Code switch
        {
            ErrorCode.AuthFailed => DisconnectReason.AuthFailed,
            ErrorCode.TokenExpired => DisconnectReason.TokenExpired,
            ErrorCode.NotOwner => DisconnectReason.NotOwner,
            ErrorCode.ShuttingDown => DisconnectReason.ShuttingDown,
            ErrorCode.Unavailable or ErrorCode.Internal or ErrorCode.RateLimited => DisconnectReason.Unavailable,
            _ => DisconnectReason.ProtocolError,
        };
        if (failure is DisconnectReason.AuthFailed or DisconnectReason.TokenExpired)
        {
            ClientLog.AuthRefused(_logger, error.Code, error.Text);
        }

        return (null, failure, $"{error.Code}: {error.Text}");
    }

    /// <summary>Runs one authenticated connection until it ends; returns why it ended.</summary>
    private async Task<(DisconnectReason Reason, string? Detail)> RunConnectionAsync(LiveConnection live, AuthOk authOk)
    {
        _userId = authOk.UserId;
        _coupleId = authOk.CoupleId;
        _partnerOnline = authOk.PartnerOnline;
        if (!_startApplied)
        {
            _startApplied = true;
            if (_options.StartAfterSeq == ChatClientOptions.FromLatest)
            {
                _buffer.SkipTo(authOk.LatestSeq);
                Volatile.Write(ref _lastSeq, _buffer.LastSeq);
            }
        }

        if (authOk.LatestSeq < LastSeq)
        {
            ClientLog.ServerBehind(_logger, authOk.LatestSeq, LastSeq);
        }

        ClientLog.Connected(_logger, live.Transport.Endpoint, live.Transport.Address, authOk.UserId ?? "?", authOk.CoupleId ?? "?", authOk.LatestSeq, LastSeq);
        live.MarkReceived();
        StartKeepAlive(live);
        _live = live;
        _connected.TrySetResult(live);
        await ReportStateAsync(ConnectionState.Connected, DisconnectReason.None, null).ConfigureAwait(false);

        _firstConnect.TrySetResult(new ConnectResult(ConnectStatus.Connected, null, null));
        await WriteUnsentAsync(live).ConfigureAwait(false);
        if (Interlocked.Read(ref _readMark) is var mark and >= 0)
        {
            live.LastUnkeyedWasSync = false;
            await live.Transport.WriteAsync(new ReadUpTo { Seq = mark }, CancellationToken.None).ConfigureAwait(false);
        }

        if (authOk.LatestSeq > LastSeq || _buffer.HasGap)
        {
            StartCatchUp(live);
        }

        var ended = await ReadLoopAsync(live).ConfigureAwait(false);

        _live = null;
        lock (_stateLock)
        {
            if (_connected.Task.IsCompleted)
            {
                _connected = new TaskCompletionSource<LiveConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        await live.EndAsync().ConfigureAwait(false);
        ClientLog.ConnectionEnded(_logger, live.Transport.Endpoint, ended.Reason, ended.Detail);
        return ended;
    }

    private void StartKeepAlive(LiveConnection live)
    {
        var interval = _options.PingInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        live.AddTimer(_time.CreateTimer(
            static state =>
            {
                var (client, connection) = ((ChatClient, LiveConnection))state!;
                client.OnPingTimer(connection);
            },
            (this, live),
            interval,
            interval));
    }

    private void OnPingTimer(LiveConnection live)
    {
        var silent = live.SinceLastReceived;
        if (silent > _options.PingInterval * 2 && !live.ReaderBlocked)
        {
            ClientLog.Silent(_logger, live.Transport.Endpoint, (long)silent.TotalMilliseconds);
            live.RequestClose(DisconnectReason.Timeout, $"nothing received for {silent}");
            return;
        }

        // Fire and forget: a failed write aborts the connection, which the read loop reports.
        _ = live.Transport.WriteAsync(new Ping { Nonce = live.NextPingNonce() }, live.Ended).AsTask();
    }
}
