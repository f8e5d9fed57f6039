using System.Buffers;
using Thrift;
using Thrift.Transport;

namespace Chat.Protocol.Serialization;

/// <summary>
/// A Thrift transport that reads one packet body from a <see cref="ReadOnlySequence{T}"/> without
/// copying it first. Reads complete synchronously, so the async Thrift code never really awaits.
/// </summary>
internal sealed class SequenceReadTransport(TConfiguration configuration) : TEndpointTransport(configuration)
{
    private ReadOnlySequence<byte> _remaining;

    public override bool IsOpen => true;

    /// <summary>Points the transport at a new body; Thrift may not read (or pre-size) more than its length.</summary>
    public void Reset(in ReadOnlySequence<byte> body)
    {
        _remaining = body;
        ResetMessageSizeAndConsumedBytes();
        UpdateKnownMessageSize(body.Length);
    }

    /// <summary>Drops the reference to the caller's buffer.</summary>
    public void Clear() => _remaining = default;

    /// <summary>Bytes of the body not read yet.</summary>
    public long Remaining => _remaining.Length;

    public override Task OpenAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public override void Close()
    {
        // Nothing to release: the buffer belongs to the caller.
    }

    public override ValueTask<int> ReadAsync(byte[] buffer, int offset, int length, CancellationToken cancellationToken)
    {
        var count = (int)Math.Min(length, _remaining.Length);
        if (count <= 0)
        {
            return new ValueTask<int>(0);
        }

        var chunk = _remaining.Slice(0, count);
        chunk.CopyTo(buffer.AsSpan(offset, count));
        _remaining = _remaining.Slice(chunk.End);
        CountConsumedMessageBytes(count);
        return new ValueTask<int>(count);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int length, CancellationToken cancellationToken) =>
        throw new NotSupportedException("read-only transport");

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override void Dispose(bool disposing)
    {
        _remaining = default;
    }
}
