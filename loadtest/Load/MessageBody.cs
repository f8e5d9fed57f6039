using System.Globalization;
using System.Text;

namespace Chat.LoadTest.Load;

/// <summary>
/// A load message body: the sender's <see cref="System.Diagnostics.Stopwatch"/> timestamp as 16 hex
/// characters, padded with 'x' to the message size (UTF-8 text, since the kind is Text). Sender and
/// partner run in the same process, so the partner subtracts it from its own clock.
/// </summary>
internal static class MessageBody
{
    private const int StampLength = 16;

    public static byte[] Create(int size, long timestamp)
    {
        var body = new byte[Math.Max(size, StampLength)];
        body.AsSpan().Fill((byte)'x');
        Encoding.ASCII.GetBytes(timestamp.ToString("x16", CultureInfo.InvariantCulture), body);
        return body;
    }

    /// <summary>The timestamp, or null for a body that is not a load message.</summary>
    public static long? Timestamp(ReadOnlySpan<byte> body)
    {
        if (body.Length < StampLength)
        {
            return null;
        }

        Span<char> hex = stackalloc char[StampLength];
        for (var i = 0; i < StampLength; i++)
        {
            hex[i] = (char)body[i];
        }

        return long.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
