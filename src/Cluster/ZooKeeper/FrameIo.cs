using System.Buffers;
using System.Buffers.Binary;

namespace Chat.Cluster.ZooKeeper;

/// <summary>Reads length-prefixed frames from a stream into pooled buffers.</summary>
internal static class FrameIo
{
    /// <summary>
    /// Reads one frame. Returns a rented buffer (return it to <see cref="ArrayPool{T}.Shared"/>) and
    /// its length; null at end of stream. A length outside 0..<paramref name="maxBytes"/> raises
    /// <see cref="JuteFormatException"/> before anything is allocated.
    /// </summary>
    public static async ValueTask<(byte[] Buffer, int Length)?> ReadAsync(Stream stream, byte[] header, int maxBytes, CancellationToken cancellationToken)
    {
        if (!await ReadExactlyOrEndAsync(stream, header.AsMemory(0, 4), cancellationToken))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length < 0 || length > maxBytes)
        {
            throw new JuteFormatException($"frame length {length} outside 0..{maxBytes}");
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            if (!await ReadExactlyOrEndAsync(stream, buffer.AsMemory(0, length), cancellationToken))
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return null;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        return (buffer, length);
    }

    private static async ValueTask<bool> ReadExactlyOrEndAsync(Stream stream, Memory<byte> into, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < into.Length)
        {
            var n = await stream.ReadAsync(into[read..], cancellationToken);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
