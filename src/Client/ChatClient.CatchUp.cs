using Chat.Client.Connection;
using Chat.Client.Diagnostics;
using Chat.Client.Syncing;
using Chat.Protocol.Packets;

namespace Chat.Client;

/// <summary>
/// Catching up: Sync from LastSeq, page after page, whenever messages may have been missed (after
/// AuthOk with a higher latest seq, on a seq gap, on ResyncHint). Pages are applied to the ordering
/// buffer by the read loop as they arrive; the catch-up loop only decides whether to ask again.
/// </summary>
public sealed partial class ChatClient
{
    /// <summary>
    /// Asks the shard for one page of stored messages with seq above <paramref name="afterSeq"/>. A raw
    /// query (e.g. for a history screen): the page goes to the caller only, never to
    /// <see cref="MessageReceived"/>, which the client keeps complete by itself. Waits for a connection
    /// and retries across reconnects, for at most <see cref="ChatClientOptions.RequestTimeout"/>.
    /// </summary>
    public async Task<SyncPage> SyncAsync(long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterSeq);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var started = _time.GetTimestamp();
        while (true)
        {
            var left = _options.RequestTimeout - _time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return new SyncPage(SyncStatus.TimedOut, [], false, 0);
            }

            SyncOutcome outcome;
            try
            {
                var live = await WaitForConnectionAsync(left, cancellationToken).ConfigureAwait(false);
                var request = new SyncRequest(afterSeq, limit, forOrdering: false);
                await RequestSyncAsync(live, request).ConfigureAwait(false);
                outcome = await request.Completion.Task.WaitAsync(left, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return new SyncPage(SyncStatus.TimedOut, [], false, 0);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new SyncPage(SyncStatus.Closed, [], false, 0);
            }

            switch (outcome.Status)
            {
                case SyncOutcomeStatus.Ok:
                    return new SyncPage(SyncStatus.Ok, outcome.Messages, outcome.More, outcome.LatestSeq);
                case SyncOutcomeStatus.Failed when outcome.Error == ErrorCode.BadRequest:
                    return new SyncPage(SyncStatus.Rejected, [], false, 0);
                case SyncOutcomeStatus.Failed:
                    await Task.Delay(outcome.RetryAfter, _time, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task<LiveConnection> WaitForConnectionAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task<LiveConnection> connected;
        lock (_stateLock)
        {
            connected = _connected.Task;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        return await connected.WaitAsync(timeout, _time, linked.Token).ConfigureAwait(false);
    }

    /// <summary>Starts the catch-up loop on <paramref name="live"/>, or makes the running one go another round.</summary>
    private void StartCatchUp(LiveConnection live)
    {
        if (live.TryStartCatchUp())
        {
            _ = RunCatchUpAsync(live);
        }
    }

    private async Task RunCatchUpAsync(LiveConnection live)
    {
        var failures = 0;
        try
        {
            while (!live.Ended.IsCancellationRequested)
            {
                // LastSeq only grows, so a page for this afterSeq is complete also for the buffer's LastSeq when it arrives.
                var request = new SyncRequest(LastSeq, _options.SyncPageSize, forOrdering: true);
                _counters.SyncRequested();
                await RequestSyncAsync(live, request).ConfigureAwait(false);
                var outcome = await request.Completion.Task.ConfigureAwait(false);
                switch (outcome.Status)
                {
                    case SyncOutcomeStatus.ConnectionEnded:
                        return;
                    case SyncOutcomeStatus.Failed:
                        failures++;
                        var backoff = _backoff.Next(failures);
                        var delay = backoff > outcome.RetryAfter ? backoff : outcome.RetryAfter;
                        ClientLog.SyncRetry(_logger, outcome.Error, (long)delay.TotalMilliseconds);
                        await Task.Delay(delay, _time, live.Ended).ConfigureAwait(false);
                        continue;
                }

                failures = 0;
                if (outcome.More || live.ContinueCatchUp())
                {
                    continue;
                }

                if (_gapOpen)
                {
                    // Messages above the page wait for a seq that may still come live; check again later.
                    ScheduleGapCheck(live);
                }

                return;
            }
        }
        catch (OperationCanceledException) when (live.Ended.IsCancellationRequested)
        {
            // The connection ended; the next one catches up from LastSeq anyway.
        }
    }

    /// <summary>Queues a Sync on <paramref name="live"/> and writes it when it is its turn (one outstanding at a time).</summary>
    private async ValueTask RequestSyncAsync(LiveConnection live, SyncRequest request)
    {
        if (live.Syncs.Enqueue(request) is { } now)
        {
            await WriteSyncAsync(live, now).ConfigureAwait(false);
        }
    }

    private async ValueTask WriteSyncAsync(LiveConnection live, SyncRequest request)
    {
        // Answers are matched by order: an answer that never comes would shift every later match, so
        // an overdue answer means the connection is broken.
        request.Watchdog = _time.CreateTimer(
            static state =>
            {
                var (client, connection, pending) = ((ChatClient, LiveConnection, SyncRequest))state!;
                if (ReferenceEquals(connection.Syncs.Outstanding, pending))
                {
                    ClientLog.SyncTimedOut(client._logger, connection.Transport.Endpoint, (long)client._options.RequestTimeout.TotalMilliseconds);
                    connection.RequestClose(DisconnectReason.Timeout, "a Sync went unanswered");
                }
            },
            (this, live, request),
            _options.RequestTimeout,
            Timeout.InfiniteTimeSpan);
        live.LastUnkeyedWasSync = true;
        await live.Transport.WriteAsync(new Sync { AfterSeq = request.AfterSeq, Limit = request.Limit }, live.Ended).ConfigureAwait(false);
    }

    private async ValueTask OnSyncResultAsync(LiveConnection live, SyncResult result)
    {
        if (live.Syncs.Outstanding is not { } request)
        {
            // An answer to a Sync already settled by an Error we attributed to it: its catch-up asked again.
            ClientLog.UnexpectedPacket(_logger, PacketKind.SyncResult);
            return;
        }

        var messages = result.Messages is { } list ? list.ConvertAll(ChatMessage.From) : [];
        if (request.ForOrdering)
        {
            SettleSendsFoundIn(messages);
            if (!_buffer.ApplyCompletePage(request.AfterSeq, messages, _ready))
            {
                ClientLog.UnorderedPage(_logger, request.AfterSeq);
            }

            await EmitMessagesAsync(_ready, live).ConfigureAwait(false);
            _gapOpen = _buffer.HasGap;
        }

        var next = live.Syncs.CompleteOutstanding(request, new SyncOutcome(SyncOutcomeStatus.Ok, messages, result.More, result.LatestSeq, 0, TimeSpan.Zero));
        if (next is not null)
        {
            await WriteSyncAsync(live, next).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A pending send whose message shows up in a Sync was stored: its Ack was lost with a connection.
    /// Settle it from the message (the Ack of the rewritten Send, if any, is then ignored).
    /// </summary>
    private void SettleSendsFoundIn(List<ChatMessage> messages)
    {
        if (_sends.Count == 0)
        {
            return;
        }

        foreach (var message in messages)
        {
            if (string.Equals(message.SenderId, _userId, StringComparison.Ordinal) && _sends.Find(message.ClientMsgId) is { } send)
            {
                _sends.Complete(send, new SendResult(SendStatus.Sent, send.ClientMsgId, message.Seq, message.ServerTime, send.Writes, null));
            }
        }
    }

    /// <summary>
    /// An Error without clientMsgId may answer the outstanding Sync (storage down, rate limit, bad
    /// arguments) or a Typing/ReadUpTo. It is taken for the Sync only when the Sync was the last such
    /// packet written; otherwise the Sync's watchdog settles a Sync that never gets an answer.
    /// </summary>
    private bool TryFailOutstandingSync(LiveConnection live, Error error)
    {
        if (!live.LastUnkeyedWasSync || live.Syncs.Outstanding is not { } request)
        {
            return false;
        }

        var next = live.Syncs.CompleteOutstanding(request, SyncOutcome.Failure(error.Code, RetryAfter(error, _options.InitialBackoff)));
        if (next is not null)
        {
            _ = WriteSyncAsync(live, next).AsTask();
        }

        return true;
    }

    /// <summary>
    /// Syncs after <see cref="ChatClientOptions.GapSyncDelay"/> if by then a gap is still open, or
    /// <paramref name="awaitedSeq"/> (a seq acknowledged for a send the client no longer tracks) has
    /// still not been delivered. Checks requested while one is armed join it.
    /// </summary>
    private void ScheduleGapCheck(LiveConnection live, long awaitedSeq = 0)
    {
        if (!live.TryArmGapCheck(awaitedSeq))
        {
            return;
        }

        live.After(_options.GapSyncDelay, () =>
        {
            var awaited = live.DisarmGapCheck();
            if (_gapOpen || awaited > LastSeq)
            {
                _counters.GapDetected();
                StartCatchUp(live);
            }
        });
    }
}
