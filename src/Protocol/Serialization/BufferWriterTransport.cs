using System.Buffers;
using Thrift;
using Thrift.Transport;

namespace Chat.Protocol.Serialization;

/// <summary>
/// A Thrift transport that appends everything written to an <see cref="IBufferWriter{T}"/>.
/// Writes complete synchronously, so the async Thrift code never really awaits.
/// </summary>
internal sealed class BufferWriterTransport(TConfiguration configuration) : TEndpointTransport(configuration)
{
    private IBufferWriter<byte>? _output;

    public override bool IsOpen => true;

    public void Reset(IBufferWriter<byte>? output) => _output = output;

    public override Task OpenAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public override void Close()
    {
        // Nothing to release: the writer belongs to the caller.
    }

    public override ValueTask<int> ReadAsync(byte[] buffer, int offset, int length, CancellationToken cancellationToken) =>
        throw new NotSupportedException("write-only transport");

    public override Task WriteAsync(byte[] buffer, int offset, int length, CancellationToken cancellationToken)
    {
        var output = _output ?? throw new InvalidOperationException("no output set");
        output.Write(buffer.AsSpan(offset, length));
        return Task.CompletedTask;
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override void Dispose(bool disposing)
    {
        _output = null;
    }
}
