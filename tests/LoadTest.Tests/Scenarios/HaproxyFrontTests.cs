using System.Buffers;
using System.Text;
using Chat.LoadTest.Load;
using Chat.LoadTest.Scenarios;
using Chat.Protocol.Packets;
using Chat.Protocol.Security;

namespace Chat.Tests.LoadTest.Scenarios;

/// <summary>HAProxy reads the couple id at a fixed offset of the first frame: the offset must match real Auth frames.</summary>
public class HaproxyFrontTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(99_999)]
    public void The_couple_id_sits_at_the_computed_offset_of_a_real_Auth_frame(int index)
    {
        var signer = new TokenSigner(new KeyRing([SecretKey.Generate("k1")]));
        var couple = CoupleNames.Couple("r0a1b2c", index);
        var user = CoupleNames.User(couple, 1);
        var token = signer.Issue(user, couple, TimeSpan.FromHours(2));
        var frame = new ArrayBufferWriter<byte>();
        PacketCodec.Default.Write(new Auth { Token = token, DeviceId = CoupleNames.Device(user, 0), LastSeq = 123 }, frame);

        var (offset, length) = HaproxyFront.CoupleIdPosition(couple.Length);
        Assert.Equal(couple, Encoding.ASCII.GetString(frame.WrittenSpan.Slice(offset, length)));
    }
}
