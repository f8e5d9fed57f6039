using System.Buffers.Binary;
using Chat.Gateway.Tls;

namespace Chat.Tests.Gateway.Tls;

public sealed class ServerHelloInspectorTests
{
    private const byte Handshake = 22;
    private const byte ChangeCipherSpec = 20;
    private const byte ApplicationData = 23;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Tls13_is_resumed_exactly_when_the_ServerHello_has_pre_shared_key(bool resumed)
    {
        byte[] flight = [.. Record(Handshake, ServerHello(tls13: true, preSharedKey: resumed)), .. Record(ChangeCipherSpec, [1]), .. Record(ApplicationData, new byte[40])];
        Assert.Equal(resumed, Inspect(flight, chunk: flight.Length));
        Assert.Equal(resumed, Inspect(flight, chunk: 1));
    }

    [Fact]
    public void Tls12_full_handshake_sends_a_Certificate_after_the_ServerHello()
    {
        byte[] flight = [.. Record(Handshake, [.. ServerHello(tls13: false, preSharedKey: false), .. Message(11, new byte[300]), .. Message(14, [])])];
        Assert.False(Inspect(flight, chunk: flight.Length));
        Assert.False(Inspect(flight, chunk: 3));
    }

    [Fact]
    public void Tls12_abbreviated_handshake_goes_to_a_ticket_or_ChangeCipherSpec()
    {
        byte[] withTicket = [.. Record(Handshake, [.. ServerHello(tls13: false, preSharedKey: false), .. Message(4, new byte[100])]), .. Record(ChangeCipherSpec, [1])];
        byte[] withoutTicket = [.. Record(Handshake, ServerHello(tls13: false, preSharedKey: false)), .. Record(ChangeCipherSpec, [1])];
        Assert.True(Inspect(withTicket, chunk: 7));
        Assert.True(Inspect(withoutTicket, chunk: 2));
    }

    [Fact]
    public void A_HelloRetryRequest_is_skipped_for_the_real_ServerHello()
    {
        byte[] retry = ServerHello(tls13: true, preSharedKey: false, random: Convert.FromHexString("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C"));
        byte[] flight = [.. Record(Handshake, retry), .. Record(ChangeCipherSpec, [1]), .. Record(Handshake, ServerHello(tls13: true, preSharedKey: true))];
        Assert.True(Inspect(flight, chunk: 5));
    }

    [Fact]
    public void Anything_unexpected_gives_unknown_rather_than_a_guess()
    {
        Assert.Null(Inspect(Record(21, [2, 40]), chunk: 100)); // an alert first
        Assert.Null(Inspect(Record(Handshake, Message(11, new byte[10])), chunk: 100)); // no ServerHello
        var truncated = ServerHello(tls13: true, preSharedKey: true)[..45];
        truncated[1] = 0; truncated[2] = 0; truncated[3] = 41; // length says 41: extensions cut off
        Assert.Null(Inspect(Record(Handshake, truncated), chunk: 100));
    }

    private static bool? Inspect(byte[] data, int chunk)
    {
        var inspector = new ServerHelloInspector();
        for (int offset = 0; offset < data.Length; offset += chunk)
        {
            inspector.Observe(data.AsSpan(offset, Math.Min(chunk, data.Length - offset)));
        }

        Assert.True(inspector.IsDone);
        return inspector.Resumed;
    }

    private static byte[] Record(byte type, byte[] body)
    {
        var record = new byte[5 + body.Length];
        record[0] = type;
        record[1] = 3;
        record[2] = 3;
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(3), (ushort)body.Length);
        body.CopyTo(record, 5);
        return record;
    }

    private static byte[] Message(byte type, byte[] body) =>
        [type, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length, .. body];

    private static byte[] ServerHello(bool tls13, bool preSharedKey, byte[]? random = null)
    {
        var extensions = new List<byte>();
        if (tls13)
        {
            extensions.AddRange([0, 43, 0, 2, 3, 4]); // supported_versions: TLS 1.3
            extensions.AddRange([0, 51, 0, 4, 0, 29, 0, 0]); // a key_share stub
        }
        else
        {
            extensions.AddRange([0xFF, 1, 0, 1, 0]); // renegotiation_info
        }

        if (preSharedKey)
        {
            extensions.AddRange([0, 41, 0, 2, 0, 0]); // pre_shared_key: identity 0
        }

        byte[] sessionId = new byte[32];
        byte[] body =
        [
            3, 3,
            .. random ?? new byte[32],
            (byte)sessionId.Length, .. sessionId,
            0x13, 0x01, // cipher suite
            0, // compression
            (byte)(extensions.Count >> 8), (byte)extensions.Count, .. extensions,
        ];
        return Message(2, body);
    }
}
