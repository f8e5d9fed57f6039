using FsCheck;
using FsCheck.Fluent;

namespace Chat.Tests.ChatService.Storage;

/// <summary>Generators for record fields: text of 0-255 UTF-8 bytes mixing 1- to 4-byte characters, no lone surrogates.</summary>
public static class MessageFieldsArbitrary
{
    private static readonly string[] Pieces = ["a", "Z", "0", "-", "_", ":", "{", " ", "é", "ж", "中", "😀", "\0"];

    public static Arbitrary<MessageFields> Fields()
    {
        // At most 63 pieces of at most 4 UTF-8 bytes each: 252 bytes, within the one-byte length.
        var text = Gen.Choose(0, 63).SelectMany(n => Gen.ArrayOf(Gen.Elements(Pieces), n)).Select(string.Concat);
        var body = Gen.Choose(0, 2000).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n));
        var gen =
            from clientMsgId in text
            from sender in text
            from device in Gen.OrNull(text)
            from kind in Gen.Choose(int.MinValue, int.MaxValue)
            from bytes in body
            from time in Gen.Choose(0, int.MaxValue).Select(t => (long)t * 1000)
            select new MessageFields(clientMsgId, sender, device, kind, bytes, time);
        return gen.ToArbitrary();
    }
}
