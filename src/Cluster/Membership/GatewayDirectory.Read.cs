using System.Collections.Immutable;
using Chat.Cluster.ZooKeeper;

namespace Chat.Cluster.Membership;

public sealed partial class GatewayDirectory
{
    /// <summary>One refresh; false to retry after the delay (what could not be read stays dirty).</summary>
    private async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        bool listing, all;
        string[] dirty;
        lock (_dirtyLock)
        {
            (listing, all, dirty) = (_listingDirty, _allDirty, [.. _dirty]);
            _listingDirty = false;
            _allDirty = false;
            _dirty.Clear();
        }

        var current = Current;
        var entries = current.Gateways.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var toRead = new HashSet<string>(StringComparer.Ordinal);
        var path = MembershipPaths.Gateways(_options.Root);
        if (listing)
        {
            var children = await _client.GetChildrenAsync(path, _onListWatch, cancellationToken: cancellationToken);
            if (children.Error == ZooKeeperError.NoNode)
            {
                // No gateways node yet (no gateway ever ran): nothing to list; an exist watch says when it comes.
                var exists = await _client.ExistsAsync(path, _onListWatch, cancellationToken: cancellationToken);
                if (exists.Error is not (ZooKeeperError.Ok or ZooKeeperError.NoNode))
                {
                    return Failed(exists.Error, listing, all, dirty);
                }

                if (exists.IsOk)
                {
                    MarkDirty(listing: true, id: null);
                }

                _listed = [];
                PublishIfChanged(current, []);
                return true;
            }

            if (!children.IsOk)
            {
                return Failed(children.Error, listing, all, dirty);
            }

            var ids = children.Value!.Children.Where(MembershipIds.IsValid).ToHashSet(StringComparer.Ordinal);
            _listed = ids;
            foreach (var gone in entries.Keys.Where(id => !ids.Contains(id)).ToArray())
            {
                entries.Remove(gone);
            }

            foreach (var id in ids)
            {
                if (all || !entries.ContainsKey(id))
                {
                    toRead.Add(id);
                }
            }
        }
        else if (all)
        {
            toRead.UnionWith(_listed);
        }

        // A data watch on a node no longer listed needs no read: its deletion is in the listing.
        // A listed node left out for bad data is read again when its data changes.
        toRead.UnionWith(dirty.Where(_listed.Contains));

        // All reads go out at once: the client pipelines them on its one connection.
        var reads = toRead.Select(id => (Id: id, Read: _client.GetDataAsync(MembershipPaths.Gateway(_options.Root, id), _onDataWatch, cancellationToken: cancellationToken))).ToArray();
        await Task.WhenAll(reads.Select(r => r.Read));
        var failure = ZooKeeperError.Ok;
        foreach (var (id, read) in reads)
        {
            var result = read.Result;
            if (result.Error == ZooKeeperError.NoNode)
            {
                entries.Remove(id);
            }
            else if (!result.IsOk)
            {
                failure = result.Error;
                MarkDirtyQuietly(id);
            }
            else if (MembershipJson.TryParseGateway(result.Value!.Data.Span, out var error) is { } data)
            {
                entries[id] = new GatewayEntry(id, data);
            }
            else
            {
                MembershipLog.GatewaySkipped(_logger, id, error ?? "unreadable");
                entries.Remove(id);
            }
        }

        PublishIfChanged(current, entries.Values);
        _value.FirstReadDone();
        if (failure != ZooKeeperError.Ok)
        {
            MembershipLog.GatewaysUnavailable(_logger, failure);
            return false;
        }

        return true;
    }

    private bool Failed(ZooKeeperError error, bool listing, bool all, string[] dirty)
    {
        MembershipLog.GatewaysUnavailable(_logger, error);
        lock (_dirtyLock)
        {
            _listingDirty |= listing;
            _allDirty |= all;
            _dirty.UnionWith(dirty);
        }

        return false;
    }

    private void MarkDirtyQuietly(string id)
    {
        lock (_dirtyLock)
        {
            _dirty.Add(id);
        }
    }

    private void PublishIfChanged(GatewayDirectorySnapshot current, IEnumerable<GatewayEntry> entries)
    {
        var sorted = entries.OrderBy(e => e.Id, StringComparer.Ordinal).ToImmutableArray();
        _value.FirstReadDone();
        if (sorted.SequenceEqual(current.Gateways))
        {
            return;
        }

        Publish(new GatewayDirectorySnapshot(current.Version + 1, sorted));
    }
}
