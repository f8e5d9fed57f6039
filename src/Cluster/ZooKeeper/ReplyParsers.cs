using System.Collections.Immutable;

namespace Chat.Cluster.ZooKeeper;

/// <summary>Reply bodies of each operation (zookeeper.jute *Response records).</summary>
internal static class ReplyParsers
{
    public static ZooKeeperResult<bool> None(ZooKeeperError error, ref JuteReader body) =>
        error == ZooKeeperError.Ok ? ZooKeeperResult<bool>.Ok(true) : ZooKeeperResult<bool>.Failed(error);

    public static ZooKeeperResult<ZooKeeperStat> Stat(ZooKeeperError error, ref JuteReader body) =>
        error == ZooKeeperError.Ok ? ZooKeeperResult<ZooKeeperStat>.Ok(body.ReadStat()) : ZooKeeperResult<ZooKeeperStat>.Failed(error);

    public static ZooKeeperResult<NodeData> Data(ZooKeeperError error, ref JuteReader body)
    {
        if (error != ZooKeeperError.Ok)
        {
            return ZooKeeperResult<NodeData>.Failed(error);
        }

        var data = body.ReadBuffer();
        return ZooKeeperResult<NodeData>.Ok(new NodeData(data, body.ReadStat()));
    }

    public static ZooKeeperResult<NodeChildren> Children(ZooKeeperError error, ref JuteReader body)
    {
        if (error != ZooKeeperError.Ok)
        {
            return ZooKeeperResult<NodeChildren>.Failed(error);
        }

        var children = body.ReadStringVector();
        return ZooKeeperResult<NodeChildren>.Ok(new NodeChildren(children, body.ReadStat()));
    }

    public static ReplyParser<string> CreatedPath(string chroot) => (ZooKeeperError error, ref JuteReader body) =>
        error == ZooKeeperError.Ok
            ? ZooKeeperResult<string>.Ok(ZooKeeperPath.FromServer(chroot, body.ReadString() ?? throw new JuteFormatException("null created path")))
            : ZooKeeperResult<string>.Failed(error);

    /// <summary>
    /// MultiResponse: per operation a MultiHeader {type, done, err} and its result record, ended by
    /// {-1, true, -1}. A failed multi answers every operation with type -1 and an ErrorResponse; the
    /// reply header may carry the error too, and a server may send no body at all.
    /// </summary>
    public static ReplyParser<ImmutableArray<ZooKeeperOpResult>> Multi(string chroot, IReadOnlyList<ZooKeeperOp> ops) =>
        (ZooKeeperError error, ref JuteReader body) =>
        {
            if (body.Remaining == 0)
            {
                return ZooKeeperResult<ImmutableArray<ZooKeeperOpResult>>.Failed(error == ZooKeeperError.Ok ? ZooKeeperError.MarshallingError : error);
            }

            var results = ImmutableArray.CreateBuilder<ZooKeeperOpResult>(ops.Count);
            var first = ZooKeeperError.Ok;
            while (true)
            {
                var type = body.ReadInt();
                var done = body.ReadBool();
                var err = body.ReadInt();
                if (done)
                {
                    break;
                }

                if (results.Count == ops.Count)
                {
                    throw new JuteFormatException("more multi results than operations");
                }

                var kind = ops[results.Count].Kind;
                ZooKeeperOpResult result;
                switch ((OpCode)type)
                {
                    case OpCode.Error:
                        var opError = (ZooKeeperError)body.ReadInt();
                        if (first == ZooKeeperError.Ok && opError is not ZooKeeperError.Ok and not ZooKeeperError.RuntimeInconsistency)
                        {
                            first = opError;
                        }

                        result = new ZooKeeperOpResult(kind, opError, null, null);
                        break;
                    case OpCode.Create:
                        var path = body.ReadString() ?? throw new JuteFormatException("null created path");
                        result = new ZooKeeperOpResult(kind, ZooKeeperError.Ok, ZooKeeperPath.FromServer(chroot, path), null);
                        break;
                    case OpCode.SetData:
                        result = new ZooKeeperOpResult(kind, ZooKeeperError.Ok, null, body.ReadStat());
                        break;
                    case OpCode.Delete:
                    case OpCode.Check:
                        result = new ZooKeeperOpResult(kind, ZooKeeperError.Ok, null, null);
                        break;
                    default:
                        throw new JuteFormatException($"unexpected multi result type {type} (err {err})");
                }

                results.Add(result);
            }

            if (results.Count != ops.Count)
            {
                throw new JuteFormatException($"{results.Count} multi results for {ops.Count} operations");
            }

            if (first == ZooKeeperError.Ok && error != ZooKeeperError.Ok)
            {
                first = error;
            }

            return new ZooKeeperResult<ImmutableArray<ZooKeeperOpResult>>(first, results.MoveToImmutable());
        };
}
