namespace Chat.LoadTest.Checks;

/// <summary>
/// The per-couple delivery check run at the end of every scenario, after a final Sync: every
/// acknowledged message reached every device of the couple, in seq order, once.
/// </summary>
internal static class CoupleCheck
{
    public static CoupleCheckResult Run(string coupleId, IReadOnlyCollection<AckedMessage> acked, IReadOnlyCollection<DeviceDeliveries> devices)
    {
        // One id acknowledged at two different seqs means it was stored twice: dedup failed.
        long storedTwice = acked.GroupBy(a => a.ClientMsgId, StringComparer.Ordinal).Count(g => g.Select(a => a.Seq).Distinct().Count() > 1);
        var ackedBySeq = new Dictionary<long, string>();
        foreach (var message in acked)
        {
            ackedBySeq.TryAdd(message.Seq, message.ClientMsgId);
        }

        long lost = 0, duplicated = storedTwice, outOfOrder = 0, mismatched = 0, bySync = 0;
        foreach (var device in devices)
        {
            var seen = new HashSet<long>();
            var liveSeqs = new HashSet<long>();
            long highest = long.MinValue;
            foreach (var delivery in device.Deliveries)
            {
                if (!seen.Add(delivery.Seq))
                {
                    duplicated++;
                    continue;
                }

                if (delivery.Seq < highest)
                {
                    outOfOrder++;
                }

                highest = Math.Max(highest, delivery.Seq);
                if (!delivery.BySync)
                {
                    liveSeqs.Add(delivery.Seq);
                }

                if (ackedBySeq.TryGetValue(delivery.Seq, out var id) && !string.Equals(id, delivery.ClientMsgId, StringComparison.Ordinal))
                {
                    mismatched++;
                }
            }

            foreach (var seq in ackedBySeq.Keys)
            {
                if (!seen.Contains(seq))
                {
                    lost++;
                }
                else if (!liveSeqs.Contains(seq))
                {
                    bySync++;
                }
            }
        }

        return new CoupleCheckResult(coupleId, devices.Count, ackedBySeq.Count, lost, duplicated, outOfOrder, mismatched, bySync);
    }
}
