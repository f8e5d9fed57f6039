using Chat.Protocol.Multiplexing;
using FsCheck;
using FsCheck.Fluent;

namespace Chat.Tests.Protocol.Multiplexing;

/// <summary>Generators of valid mux headers and control bodies for the FsCheck properties.</summary>
public static class MuxArbitraries
{
    private static readonly Gen<string> Id =
        Gen.Choose(1, 64).SelectMany(n => Gen.ArrayOf(Gen.Choose(0x20, 0x7e).Select(c => (char)c), n)).Select(cs => new string(cs));

    private static readonly Gen<string> Text =
        Gen.Choose(0, 200).SelectMany(n => Gen.ArrayOf(Gen.Choose(0x20, 0x2fff).Select(c => (char)c), n)).Select(cs => new string(cs));

    private static readonly Gen<long> NonNegativeLong =
        ArbMap.Default.GeneratorFor<long>().Select(v => v == long.MinValue ? 0 : Math.Abs(v));

    private static Gen<byte[]> Bytes(int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n));

    public static Arbitrary<MuxFrameHeader> Header() =>
        Gen.Elements(Enum.GetValues<MuxFrameType>())
            .SelectMany(type => Gen.Zip(
                ArbMap.Default.GeneratorFor<uint>(),
                Gen.Elements(MuxFrameFlags.None, MuxFrameFlags.Migrated),
                (raw, flag) => new MuxFrameHeader(
                    type switch
                    {
                        MuxFrameType.Window => 4,
                        MuxFrameType.Ping or MuxFrameType.Pong => 8,
                        MuxFrameType.Data => Math.Max(1, raw),
                        _ => raw,
                    },
                    type,
                    type == MuxFrameType.Open ? flag : MuxFrameFlags.None,
                    MuxFrameCodec.IsStreamFrame(type) ? Math.Max(1, raw ^ 0x5a5a5a5a) : 0)))
            .ToArbitrary();

    public static Arbitrary<MuxSettings> Settings() => SettingsGen.ToArbitrary();

    private static Gen<MuxSettings> SettingsGen =>
        from window in Gen.Choose(1, int.MaxValue)
        from streams in Gen.Choose(1, int.MaxValue)
        from payload in Gen.Choose(MuxBodyRules.MinFramePayload, int.MaxValue)
        from ping in Gen.Choose(0, int.MaxValue)
        select new MuxSettings { InitialStreamWindow = window, MaxStreams = streams, MaxFramePayload = payload, PingIntervalMs = ping };

    public static Arbitrary<MuxChallenge> Challenge() =>
        (from version in Gen.Choose(1, int.MaxValue)
         from shard in Id
         from nonce in Bytes(MuxProtocol.NonceSize, MuxProtocol.NonceSize)
         select new MuxChallenge { Version = version, ShardId = shard, Nonce = nonce }).ToArbitrary();

    public static Arbitrary<MuxHello> Hello() =>
        (from version in Gen.Choose(1, int.MaxValue)
         from gateway in Id
         from key in Id
         from nonce in Bytes(MuxProtocol.NonceSize, MuxProtocol.NonceSize)
         from mac in Bytes(MuxProtocol.MacSize, MuxProtocol.MacSize)
         from settings in SettingsGen
         select new MuxHello { Version = version, GatewayId = gateway, KeyId = key, Nonce = nonce, Mac = mac, Settings = settings }).ToArbitrary();

    public static Arbitrary<MuxHelloOk> HelloOk() =>
        (from shard in Id
         from mac in Bytes(MuxProtocol.MacSize, MuxProtocol.MacSize)
         from settings in SettingsGen
         select new MuxHelloOk { ShardId = shard, Mac = mac, Settings = settings }).ToArbitrary();

    public static Arbitrary<MuxOpen> Open() =>
        (from couple in Id
         from epoch in NonNegativeLong
         from address in Id
         from auth in Bytes(1, 600)
         select new MuxOpen { CoupleId = couple, RingEpoch = epoch, ClientAddress = address, AuthFrame = auth }).ToArbitrary();

    public static Arbitrary<MuxReset> Reset() =>
        (from reason in Gen.Elements(Enum.GetValues<ResetReason>())
         from epoch in NonNegativeLong
         from text in Text
         select new MuxReset { Reason = reason, Epoch = epoch, Text = text }).ToArbitrary();

    public static Arbitrary<MuxGoAway> GoAway() =>
        (from reason in Gen.Elements(Enum.GetValues<GoAwayReason>())
         from last in ArbMap.Default.GeneratorFor<uint>()
         from text in Text
         select new MuxGoAway { Reason = reason, LastStreamId = last, Text = text }).ToArbitrary();
}
