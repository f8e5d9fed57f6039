using Thrift.Protocol;
using Thrift.Protocol.Entities;
using Thrift.Transport;

namespace Chat.Protocol.Serialization;

/// <summary>
/// The compact protocol with a cap on collection sizes. Thrift already refuses a declared count
/// larger than the bytes left (one byte per element at least), but the generated code pre-sizes a
/// List&lt;T&gt; with that count and allocates an object per element: 256 KiB of empty structs would
/// become ~20 MB of objects. No packet needs more than <see cref="ThriftBody.MaxCollectionCount"/>
/// elements (SyncResult.messages is the only list of the client protocol).
/// </summary>
internal sealed class BoundedCompactProtocol(TTransport transport) : TCompactProtocol(transport)
{
    public override async ValueTask<TList> ReadListBeginAsync(CancellationToken cancellationToken)
    {
        var list = await base.ReadListBeginAsync(cancellationToken);
        CheckCount(list.Count);
        return list;
    }

    public override async ValueTask<TMap> ReadMapBeginAsync(CancellationToken cancellationToken)
    {
        var map = await base.ReadMapBeginAsync(cancellationToken);
        CheckCount(map.Count);
        return map;
    }

    // Sets are read through ReadListBeginAsync, so they are capped too.
    private static void CheckCount(int count)
    {
        if (count < 0 || count > ThriftBody.MaxCollectionCount)
        {
            throw new TProtocolException(TProtocolException.SIZE_LIMIT, $"collection of {count} elements exceeds {ThriftBody.MaxCollectionCount}");
        }
    }
}
