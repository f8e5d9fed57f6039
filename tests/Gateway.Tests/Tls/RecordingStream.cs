namespace Chat.Tests.Gateway.Tls;

/// <summary>
/// Passes through to an inner stream and keeps a copy of the bytes read (the first MiB: enough for
/// the small exchanges whose records tests inspect), to look at TLS records on the wire.
/// </summary>
public sealed class RecordingStream(Stream inner) : Stream
{
    private readonly MemoryStream _received = new();

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>The TLS records received so far: (content type, length) in order.</summary>
    public List<(byte Type, int Length)> Records()
    {
        byte[] data;
        lock (_received)
        {
            data = _received.ToArray();
        }

        var records = new List<(byte, int)>();
        for (int i = 0; i + 5 <= data.Length;)
        {
            int length = (data[i + 3] << 8) | data[i + 4];
            records.Add((data[i], length));
            i += 5 + length;
        }

        return records;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n = await inner.ReadAsync(buffer, cancellationToken);
        lock (_received)
        {
            if (_received.Length < 1024 * 1024)
            {
                _received.Write(buffer.Span[..n]);
            }
        }

        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            _received.Dispose();
        }

        base.Dispose(disposing);
    }
}
