using System.Buffers;
using Chat.Client.Connection;
using Chat.Client.Diagnostics;
using Chat.Client.Ordering;
using Chat.Client.Sending;
using Chat.Protocol.Framing;
using Chat.Protocol.Packets;

namespace Chat.Client;

/// <summary>
/// Sends: each waits for its Ack and is written again, with the same clientMsgId, after a reconnect,
/// a ResyncHint, a RateLimited or an Unavailable answer, until it is acknowledged or its time is up.
/// </summary>
public sealed partial class ChatClient
{
    /// <summary>
    /// Sends a message and waits until the shard has stored it. Retries by itself, always with the same
    /// clientMsgId, so the message is stored at most once: across reconnects (written again on the new
    /// connection), after RateLimited (waits retryAfterMs, up to <see cref="ChatClientOptions.MaxRateLimitRetries"/>
    /// times) and after Unavailable (backoff), for at most <see cref="ChatClientOptions.SendTimeout"/>.
    /// Once stored, the message is also delivered to the app through <see cref="MessageReceived"/> in
    /// its seq order. Works while disconnected too: the message goes out on the next connection.
    /// </summary>
    /// <param name="kind">How the body is encoded.</param>
    /// <param name="body">The content (copied).</param>
    /// <param name="clientMsgId">
    /// The idempotency key; null generates one (<see cref="ClientMsgIds.New"/>). Pass a stored one to
    /// retry a message from an outbox after a restart.
    /// </param>
    /// <param name="cancellationToken">Stops waiting (<see cref="OperationCanceledException"/>); the message may still be stored.</param>
    /// <exception cref="ArgumentException"><paramref name="clientMsgId"/> is not 1-64 characters of [A-Za-z0-9_-].</exception>
    public async Task<SendResult> SendAsync(MessageKind kind, ReadOnlyMemory<byte> body, string? clientMsgId = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var id = clientMsgId ?? ClientMsgIds.New();
        if (!ClientMsgIds.IsValid(id))
        {
            throw new ArgumentException($"clientMsgId must be 1-64 characters of [A-Za-z0-9_-] (is '{clientMsgId}')", nameof(clientMsgId));
        }

        var copy = body.ToArray();
        if (EncodeSend(id, kind, copy) is not { } frame)
        {
            return new SendResult(SendStatus.TooLarge, id, 0, default, 0, $"the message does not fit the frame limits ({copy.Length} bytes)");
        }

        if (_lifetime.IsCancellationRequested)
        {
            return new SendResult(SendStatus.Closed, id, 0, default, 0, "client closed");
        }

        await _sendSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        PendingSend? send = null;
        var added = false;
        try
        {
            send = _sends.GetOrAdd(new PendingSend(id, kind, copy, frame), out added);
            if (added && _lifetime.IsCancellationRequested)
            {
                // Closed between the check above and the add: nothing would ever write it.
                _sends.Complete(send, new SendResult(SendStatus.Closed, id, 0, default, 0, "client closed"));
            }
            else if (added)
            {
                await TryWriteAsync(send).ConfigureAwait(false);
            }

            return await send.Completion.Task.WaitAsync(_options.SendTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var result = new SendResult(SendStatus.TimedOut, id, 0, default, send!.Writes, send.LastError ?? $"no Ack within {_options.SendTimeout}");
            return _sends.Complete(send, result) ? result : await send.Completion.Task.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && send is not null && added)
        {
            // Only the caller that added the send withdraws it; one that joined a pending id just stops waiting.
            _sends.Complete(send, new SendResult(SendStatus.Closed, id, 0, default, send.Writes, "cancelled by the caller"));
            throw;
        }
        finally
        {
            _sendSlots.Release();
        }
    }

    private byte[]? EncodeSend(string clientMsgId, MessageKind kind, byte[] body)
    {
        var output = new ArrayBufferWriter<byte>(FrameCodec.HeaderSize + 32 + clientMsgId.Length + body.Length);
        return _codec.Write(new Send { ClientMsgId = clientMsgId, Kind = kind, Body = body }, output) == FrameStatus.Ok
            ? output.WrittenSpan.ToArray()
            : null;
    }

    /// <summary>Writes <paramref name="send"/> on the current connection unless it is already written there or waits for a retry.</summary>
    private async ValueTask TryWriteAsync(PendingSend send)
    {
        if (_live is not { } live || !_sends.TryClaimWrite(send, live))
        {
            // Not connected: the next connection writes every unwritten send (WriteUnsentAsync).
            return;
        }

        if (send.Writes > 1)
        {
            _counters.SendRetried();
        }

        await live.Transport.WriteFrameAsync(send.Frame, live.Ended).ConfigureAwait(false);
    }

    /// <summary>A new connection: write every pending send not written on it yet, oldest first.</summary>
    private async ValueTask WriteUnsentAsync(LiveConnection live)
    {
        foreach (var send in _sends.ClaimUnwritten(live))
        {
            if (send.Writes > 1)
            {
                _counters.SendRetried();
            }

            if (!await live.Transport.WriteFrameAsync(send.Frame, live.Ended).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private async ValueTask OnAckAsync(LiveConnection live, Ack ack)
    {
        if (_sends.Find(ack.ClientMsgId) is not { } send)
        {
            // A repeat Ack (the send was already settled, e.g. found in a Sync), or a send the app gave
            // up on. If its seq is new to us, the message itself must be fetched.
            if (ack.Seq > _buffer.LastSeq)
            {
                ScheduleGapCheck(live, ack.Seq);
            }

            return;
        }

        var serverTime = DateTimeOffset.FromUnixTimeMilliseconds(ChatMessage.ClampUnixMs(ack.ServerTime));
        _sends.Complete(send, new SendResult(SendStatus.Sent, send.ClientMsgId, ack.Seq, serverTime, send.Writes, null));
        await DeliverOwnAsync(live, send, ack.Seq, serverTime).ConfigureAwait(false);
    }

    /// <summary>
    /// The app's own message is part of the conversation: it enters the ordering buffer at its seq like
    /// any other (the shard does not echo it to the sending device), so LastSeq stays contiguous.
    /// </summary>
    private async ValueTask DeliverOwnAsync(LiveConnection live, PendingSend send, long seq, DateTimeOffset serverTime)
    {
        var own = new ChatMessage
        {
            Seq = seq,
            SenderId = _userId ?? string.Empty,
            Kind = send.Kind,
            Body = send.Body,
            ServerTime = serverTime,
            ClientMsgId = send.ClientMsgId,
        };
        var outcome = _buffer.Offer(own, _ready);
        await EmitMessagesAsync(_ready, live).ConfigureAwait(false);
        _gapOpen = _buffer.HasGap;
        if (outcome is OfferOutcome.Held or OfferOutcome.Dropped)
        {
            // Acks and the partner's messages are not ordered with each other on the wire: the missing
            // seqs are probably on their way. Sync only if they do not arrive in time.
            ScheduleGapCheck(live);
        }
    }

    private void OnSendError(PendingSend send, Error error)
    {
        send.LastError = $"{error.Code}: {error.Text}";
        TimeSpan delay;
        switch (error.Code)
        {
            case ErrorCode.BadRequest:
                _sends.Complete(send, new SendResult(SendStatus.Rejected, send.ClientMsgId, 0, default, send.Writes, error.Text));
                return;
            case ErrorCode.RateLimited:
                if (send.RateLimitRetries >= _options.MaxRateLimitRetries)
                {
                    _sends.Complete(send, new SendResult(SendStatus.RateLimited, send.ClientMsgId, 0, default, send.Writes, error.Text));
                    return;
                }

                send.RateLimitRetries++;
                // A little jitter on top, so sends limited together do not all come back in the same millisecond.
                var retryAfter = RetryAfter(error, _options.InitialBackoff);
                delay = retryAfter + _jitter.Below(retryAfter / 10);
                break;
            default:
                // Unavailable, Internal, or a code this build does not know: the send is safe to repeat.
                send.Failures++;
                var backoff = _backoff.Next(send.Failures);
                var floor = RetryAfter(error, TimeSpan.Zero);
                delay = backoff > floor ? backoff : floor;
                break;
        }

        ClientLog.SendRetry(_logger, send.ClientMsgId, error.Code, (long)delay.TotalMilliseconds);
        _sends.SetRetryTimer(send, () => _time.CreateTimer(
            static state =>
            {
                var (client, pending) = ((ChatClient, PendingSend))state!;
                client._sends.ClearRetryTimer(pending);
                _ = client.TryWriteAsync(pending).AsTask();
            },
            (this, send),
            delay,
            Timeout.InfiniteTimeSpan));
    }
}
