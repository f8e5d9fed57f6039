using Chat.ChatService.Storage;
using Chat.Protocol.Packets;

namespace Chat.ChatService.Chat;

/// <summary>In-memory signals of a couple: presence, typing (expiring), read marks (stored, relayed).</summary>
internal sealed partial class CoupleSession
{
    private readonly Dictionary<string, TypingState> _typing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _readMarks = new(StringComparer.Ordinal);

    private void OnDeviceJoined(DeviceLink device)
    {
        // The newcomer learns who of the partner is here (and typing); the partner learns about the newcomer.
        foreach (var userId in OtherUsers(device.UserId))
        {
            var count = UserDeviceCount(userId);
            device.Deliver(new Presence { UserId = userId, Online = true, Devices = count }, 32 + userId.Length);
            if (_typing.ContainsKey(userId))
            {
                device.Deliver(new Typing { On = true, UserId = userId }, 16 + userId.Length);
            }
        }

        BroadcastPresence(device.UserId);
    }

    private void OnDeviceLeft(DeviceLink device)
    {
        if (UserDeviceCount(device.UserId) == 0 && _typing.Remove(device.UserId, out var typing))
        {
            typing.Timer.Dispose();
            RelayToOthers(device.UserId, new Typing { On = false, UserId = device.UserId }, 16 + device.UserId.Length);
        }

        BroadcastPresence(device.UserId);
    }

    private void BroadcastPresence(string userId)
    {
        var count = UserDeviceCount(userId);
        RelayToOthers(userId, new Presence { UserId = userId, Online = count > 0, Devices = count }, 32 + userId.Length);
    }

    private void HandleTyping(DeviceLink device, bool on)
    {
        var userId = device.UserId;
        if (on)
        {
            var generation = ++_typingGeneration;
            var timer = _services.Time.CreateTimer(
                static state =>
                {
                    var (session, userId, generation) = ((CoupleSession, string, long))state!;
                    session.Execute(() => session.OnTypingExpired(userId, generation));
                },
                (this, userId, generation),
                _services.Limits.TypingExpiry,
                Timeout.InfiniteTimeSpan);
            var wasTyping = _typing.Remove(userId, out var previous);
            previous.Timer?.Dispose();
            _typing[userId] = new TypingState(timer, generation);
            if (!wasTyping)
            {
                RelayToOthers(userId, new Typing { On = true, UserId = userId }, 16 + userId.Length);
            }
        }
        else if (_typing.Remove(userId, out var previous))
        {
            previous.Timer.Dispose();
            RelayToOthers(userId, new Typing { On = false, UserId = userId }, 16 + userId.Length);
        }
    }

    private void OnTypingExpired(string userId, long generation)
    {
        if (_typing.TryGetValue(userId, out var state) && state.Generation == generation)
        {
            _typing.Remove(userId);
            state.Timer.Dispose();
            RelayToOthers(userId, new Typing { On = false, UserId = userId }, 16 + userId.Length);
        }
    }

    private void HandleReadUpTo(DeviceLink device, long seq)
    {
        if (seq < 0)
        {
            SendError(device, ErrorCode.BadRequest, "ReadUpTo.seq must not be negative");
            return;
        }

        _pendingStoreCalls++;
        StoreCall.Run(this, _services.Store.SetReadMarkAsync(CoupleId, device.UserId, seq), SeqResult.Of(StoreStatus.Failed), device,
            static (session, result, device) => session.CompleteReadUpTo(device, result));
    }

    private void CompleteReadUpTo(DeviceLink device, SeqResult result)
    {
        _pendingStoreCalls--;
        if (result.Status == StoreStatus.Ok)
        {
            var userId = device.UserId;
            if (!_readMarks.TryGetValue(userId, out var known) || result.Seq > known)
            {
                _readMarks[userId] = result.Seq;
                var relay = new ReadUpTo { Seq = result.Seq, UserId = userId };
                foreach (var other in _devices.ToArray())
                {
                    if (!ReferenceEquals(other, device))
                    {
                        other.Deliver(relay, 24 + userId.Length);
                    }
                }
            }
        }
        else if (!device.Detached)
        {
            SendError(device, result.Status == StoreStatus.Unavailable ? ErrorCode.Unavailable : ErrorCode.Internal, "read mark not stored", retryAfterMs: 1000);
        }

        RetireIfIdle();
    }

    private void RelayToOthers(string userId, ClientPacket packet, int size)
    {
        foreach (var device in _devices.ToArray())
        {
            if (!string.Equals(device.UserId, userId, StringComparison.Ordinal))
            {
                device.Deliver(packet, size);
            }
        }
    }

    private List<string> OtherUsers(string userId)
    {
        var users = new List<string>(1);
        foreach (var device in _devices)
        {
            if (!string.Equals(device.UserId, userId, StringComparison.Ordinal) && !users.Contains(device.UserId))
            {
                users.Add(device.UserId);
            }
        }

        return users;
    }

    private void ClearSignals()
    {
        foreach (var state in _typing.Values)
        {
            state.Timer.Dispose();
        }

        _typing.Clear();
        _readMarks.Clear();
        CancelGapTimer();
    }

    private long _typingGeneration;

    private readonly record struct TypingState(ITimer Timer, long Generation);
}
