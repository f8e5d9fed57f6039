using Chat.Cluster.Routing;
using Chat.Cluster.ZooKeeper;

namespace Chat.Cluster.Membership;

public sealed partial class RingWatcher
{
    /// <summary>One read of the ring; false to retry after the delay (the current ring stays).</summary>
    private async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        var root = _options.Root;
        var ringPath = MembershipPaths.Ring(root);
        var listing = await _client.GetChildrenAsync(ringPath, _onWatch, cancellationToken: cancellationToken);
        if (listing.Error == ZooKeeperError.NoNode && _options.CreateLayout)
        {
            // A fresh cluster: create the layout so the child watch can be set, then read again.
            var parents = await MembershipTree.EnsureParentsAsync(_client, root, cancellationToken);
            listing = parents == ZooKeeperError.Ok
                ? await _client.GetChildrenAsync(ringPath, _onWatch, cancellationToken: cancellationToken)
                : ZooKeeperResult<NodeChildren>.Failed(parents);
        }
        else if (listing.Error == ZooKeeperError.NoNode)
        {
            // No ring node and not ours to create: no ring (the empty snapshot stays); an exist watch
            // says when it appears.
            var exists = await _client.ExistsAsync(ringPath, _onWatch, cancellationToken: cancellationToken);
            if (exists.Error is not (ZooKeeperError.NoNode or ZooKeeperError.Ok))
            {
                MembershipLog.RingUnavailable(_logger, exists.Error, Current.Epoch);
                return false;
            }

            if (exists.IsOk)
            {
                // Created meanwhile: read it.
                _refresh.Signal();
                return true;
            }

            _value.FirstReadDone();
            return true;
        }

        if (!listing.IsOk)
        {
            MembershipLog.RingUnavailable(_logger, listing.Error, Current.Epoch);
            return false;
        }

        var epoch = listing.Value!.Stat.Cversion;
        var current = Current;
        if (epoch < current.Epoch)
        {
            MembershipLog.RingEpochWentBack(_logger, epoch, current.Epoch, ringPath);
            _value.FirstReadDone();
            return true;
        }

        // All reads go out at once: the client pipelines them on its one connection.
        var ids = listing.Value.Children.Where(IsShardId).Order(StringComparer.Ordinal).ToArray();
        var weights = ids.Select(id => _client.GetDataAsync(MembershipPaths.RingMember(root, id), cancellationToken: cancellationToken)).ToArray();
        var addresses = ids.Select(id => ReadAddressAsync(id, cancellationToken)).ToArray();
        await Task.WhenAll(weights);
        await Task.WhenAll(addresses);

        var members = new List<RingMember>(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            var weight = weights[i].Result;
            if (weight.Error == ZooKeeperError.NoNode)
            {
                // The ring changed after the listing: its child watch has fired; build from the next listing,
                // never a ring that mixes two epochs.
                return true;
            }

            if (!weight.IsOk)
            {
                MembershipLog.RingUnavailable(_logger, weight.Error, current.Epoch);
                return false;
            }

            if (MembershipJson.TryParseRing(weight.Value!.Data.Span, out var weightError) is not { } ringData)
            {
                // Every process skips the same bad node, so they still agree on the ring.
                MembershipLog.RingMemberSkipped(_logger, ids[i], $"ring data: {weightError}");
                continue;
            }

            var (address, failure) = addresses[i].Result;
            if (failure is ZooKeeperError.ConnectionLoss or ZooKeeperError.OperationTimeout or ZooKeeperError.SessionExpired
                or ZooKeeperError.ClientClosed or ZooKeeperError.RequestQueueFull)
            {
                MembershipLog.RingUnavailable(_logger, failure, current.Epoch);
                return false;
            }

            members.Add(new RingMember(ids[i], address?.Host ?? string.Empty, address?.MuxPort ?? 0, ringData.Weight));
        }

        if (!RingSnapshot.TryCreate(epoch, members, out var next, out var invalid))
        {
            MembershipLog.RingInvalid(_logger, epoch, current.Epoch, invalid);
            _value.FirstReadDone();
            return true;
        }

        // Same epoch: only an address may have changed; publish only if something did.
        if (epoch > Current.Epoch || (epoch == Current.Epoch && !next.Members.SequenceEqual(Current.Members)))
        {
            Publish(next);
        }

        _value.FirstReadDone();
        return true;
    }

    /// <summary>
    /// Reads a shard's address and leaves a watch on its node (data watch if present, exist watch if
    /// not), so an address that appears or changes triggers a new read.
    /// </summary>
    private async Task<(ShardNodeData? Address, ZooKeeperError Error)> ReadAddressAsync(string shardId, CancellationToken cancellationToken)
    {
        var path = MembershipPaths.Shard(_options.Root, shardId);

        // A node created between the two reads turns the exists watch into a data watch: read again, a few times at most.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var data = await _client.GetDataAsync(path, _onWatch, cancellationToken: cancellationToken);
            if (data.Error == ZooKeeperError.NoNode)
            {
                var exists = await _client.ExistsAsync(path, _onWatch, cancellationToken: cancellationToken);
                if (exists.IsOk)
                {
                    continue;
                }

                if (exists.Error != ZooKeeperError.NoNode)
                {
                    return (null, exists.Error);
                }

                MembershipLog.RingMemberWithoutAddress(_logger, shardId, "no shard node");
                return (null, ZooKeeperError.Ok);
            }

            if (!data.IsOk)
            {
                return (null, data.Error);
            }

            var address = MembershipJson.TryParseShard(data.Value!.Data.Span, out var error);
            if (address is null)
            {
                MembershipLog.RingMemberWithoutAddress(_logger, shardId, error ?? "unreadable");
            }

            return (address, ZooKeeperError.Ok);
        }

        return (null, ZooKeeperError.ConnectionLoss);
    }

    private bool IsShardId(string name)
    {
        if (MembershipIds.IsValid(name))
        {
            return true;
        }

        MembershipLog.RingMemberSkipped(_logger, name, "not a valid shard id");
        return false;
    }
}
