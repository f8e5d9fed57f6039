using Chat.Protocol.Packets;
using FsCheck;
using FsCheck.Fluent;

namespace Chat.Tests.Protocol.Packets;

/// <summary>FsCheck generators for every packet of chat.thrift, optional fields set or not.</summary>
public static class PacketArbitraries
{
    private const string IdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

    private static Gen<string> Id =>
        from length in Gen.Choose(1, 64)
        from chars in Gen.ArrayOf(Gen.Elements(IdAlphabet.ToCharArray()), length)
        select new string(chars);

    // Any text UTF-8 can carry: no lone surrogates (they would not survive the round trip, by design of UTF-8).
    private static Gen<string> Text =>
        Gen.ArrayOf(Gen.Frequency(
                (4, Gen.Choose(0x20, 0x7E)),
                (1, Gen.Choose(0, 0xD7FF)),
                (1, Gen.Choose(0xE000, 0xFFFF))))
            .Select(codes => new string(codes.Select(c => (char)c).ToArray()));

    private static Gen<byte[]> Body =>
        Gen.OneOf(
            ArbMap.Default.GeneratorFor<byte[]>().Where(b => b is not null),
            // Repetitive bodies long enough to be compressed by the frame codec.
            from unit in ArbMap.Default.GeneratorFor<byte>()
            from length in Gen.Choose(500, 5000)
            select Enumerable.Repeat(unit, length).ToArray());

    private static Gen<long> Long => ArbMap.Default.GeneratorFor<long>();

    private static Gen<int> Int => ArbMap.Default.GeneratorFor<int>();

    private static Gen<bool> Bool => ArbMap.Default.GeneratorFor<bool>();

    private static Gen<MessageKind> Kind => Gen.Elements(Enum.GetValues<MessageKind>().Append((MessageKind)99).ToArray());

    private static Gen<ErrorCode> Code => Gen.Elements(Enum.GetValues<ErrorCode>().Append((ErrorCode)1000).ToArray());

    private static Gen<string?> OptionalId => Gen.OneOf(Gen.Constant<string?>(null), Id.Select(id => (string?)id));

    private static Gen<int?> OptionalInt => Gen.OneOf(Gen.Constant<int?>(null), Int.Select(i => (int?)i));

    private static Gen<Message> MessageGen =>
        from seq in Long
        from sender in Id
        from kind in Kind
        from body in Body
        from time in Long
        from clientMsgId in Id
        select new Message { Seq = seq, SenderId = sender, Kind = kind, Body = body, ServerTime = time, ClientMsgId = clientMsgId };

    public static Arbitrary<Auth> Auth() => Arb.From(
        from token in Text
        from device in Id
        from lastSeq in Long
        select new Auth { Token = token, DeviceId = device, LastSeq = lastSeq });

    public static Arbitrary<AuthOk> AuthOk() => Arb.From(
        from user in Id
        from couple in Id
        from online in Bool
        from latest in Long
        from time in Long
        select new AuthOk { UserId = user, CoupleId = couple, PartnerOnline = online, LatestSeq = latest, ServerTime = time });

    public static Arbitrary<Send> Send() => Arb.From(
        from id in Id
        from kind in Kind
        from body in Body
        select new Send { ClientMsgId = id, Kind = kind, Body = body });

    public static Arbitrary<Ack> Ack() => Arb.From(
        from id in Id
        from seq in Long
        from time in Long
        select new Ack { ClientMsgId = id, Seq = seq, ServerTime = time });

    public static Arbitrary<Message> Message() => Arb.From(MessageGen);

    public static Arbitrary<Typing> Typing() => Arb.From(
        from typing in Bool
        from user in OptionalId
        select user is null ? new Typing { On = typing } : new Typing { On = typing, UserId = user });

    public static Arbitrary<Presence> Presence() => Arb.From(
        from user in Id
        from online in Bool
        from devices in Int
        select new Presence { UserId = user, Online = online, Devices = devices });

    public static Arbitrary<ReadUpTo> ReadUpTo() => Arb.From(
        from seq in Long
        from user in OptionalId
        select user is null ? new ReadUpTo { Seq = seq } : new ReadUpTo { Seq = seq, UserId = user });

    public static Arbitrary<Sync> Sync() => Arb.From(
        from after in Long
        from limit in Int
        select new Sync { AfterSeq = after, Limit = limit });

    public static Arbitrary<SyncResult> SyncResult() => Arb.From(
        from count in Gen.Choose(0, 20)
        from messages in Gen.ListOf(MessageGen.Select(m => { m.Body = m.Body!.Take(300).ToArray(); return m; }), count)
        from more in Bool
        from latest in Long
        select new SyncResult { Messages = [.. messages], More = more, LatestSeq = latest });

    public static Arbitrary<Ping> Ping() => Arb.From(Long.Select(n => new Ping { Nonce = n }));

    public static Arbitrary<Pong> Pong() => Arb.From(Long.Select(n => new Pong { Nonce = n }));

    public static Arbitrary<ResyncHint> ResyncHint() => Arb.From(Long.Select(n => new ResyncHint { LatestSeq = n }));

    public static Arbitrary<GoAway> GoAway() => Arb.From(
        from within in Int
        from reason in Text
        select new GoAway { ReconnectWithinMs = within, Reason = reason });

    public static Arbitrary<Error> Error() => Arb.From(
        from code in Code
        from text in Text
        from retry in OptionalInt
        select retry is null ? new Error { Code = code, Text = text } : new Error { Code = code, Text = text, RetryAfterMs = retry.Value });

    public static Arbitrary<ClientPacket> ClientPacket() => Arb.From(Gen.OneOf(
        Auth().Generator.Select(p => (ClientPacket)p),
        AuthOk().Generator.Select(p => (ClientPacket)p),
        Send().Generator.Select(p => (ClientPacket)p),
        Ack().Generator.Select(p => (ClientPacket)p),
        MessageGen.Select(p => (ClientPacket)p),
        Typing().Generator.Select(p => (ClientPacket)p),
        Presence().Generator.Select(p => (ClientPacket)p),
        ReadUpTo().Generator.Select(p => (ClientPacket)p),
        Sync().Generator.Select(p => (ClientPacket)p),
        SyncResult().Generator.Select(p => (ClientPacket)p),
        Ping().Generator.Select(p => (ClientPacket)p),
        Pong().Generator.Select(p => (ClientPacket)p),
        ResyncHint().Generator.Select(p => (ClientPacket)p),
        GoAway().Generator.Select(p => (ClientPacket)p),
        Error().Generator.Select(p => (ClientPacket)p)));
}
