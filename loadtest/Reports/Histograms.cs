using HdrHistogram;
using HdrHistogram.Utilities;

namespace Chat.LoadTest.Reports;

/// <summary>
/// Latency histograms of the harness: microseconds from 1 us to 10 min, 3 significant digits, and
/// their base64 form (HdrHistogram's compressed V2 encoding) for passing between worker processes.
/// </summary>
internal static class Histograms
{
    public const long Highest = 600_000_000;

    public static LongHistogram Create() => new(1, Highest, 3);

    public static Recorder CreateRecorder() =>
        HistogramFactory.With64BitBucketSize().WithValuesFrom(1).WithValuesUpTo(Highest).WithPrecisionOf(3).WithThreadSafeWrites().WithThreadSafeReads().Create();

    /// <summary>Records <paramref name="microseconds"/>, clamped into the trackable range.</summary>
    public static void Record(Recorder recorder, long microseconds) => recorder.RecordValue(Math.Clamp(microseconds, 1, Highest));

    public static string Encode(HistogramBase histogram)
    {
        var buffer = ByteBuffer.Allocate(histogram.GetNeededByteBufferCapacity());
        var length = histogram.EncodeIntoCompressedByteBuffer(buffer);
        var bytes = new byte[length];
        buffer.Position = 0;
        for (var i = 0; i < length; i++)
        {
            bytes[i] = buffer.Get();
        }

        return Convert.ToBase64String(bytes);
    }

    /// <summary>Decodes <see cref="Encode"/>'s output; null for an empty or malformed string.</summary>
    public static HistogramBase? Decode(string? base64)
    {
        if (string.IsNullOrEmpty(base64))
        {
            return null;
        }

        try
        {
            var bytes = Convert.FromBase64String(base64);
            var buffer = ByteBuffer.Allocate(bytes);
            return HistogramEncoding.DecodeFromCompressedByteBuffer(buffer, 0);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or IndexOutOfRangeException or InvalidDataException)
        {
            return null;
        }
    }
}
