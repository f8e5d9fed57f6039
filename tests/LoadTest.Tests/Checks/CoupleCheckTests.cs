using Chat.LoadTest.Checks;
using FsCheck.Xunit;

namespace Chat.Tests.LoadTest.Checks;

/// <summary>The end-of-run delivery check: lost, duplicated, out of order, mismatched, recovered by Sync.</summary>
public class CoupleCheckTests
{
    private static AckedMessage[] Acked(int count) => [.. Enumerable.Range(1, count).Select(i => new AckedMessage($"id{i}", i))];

    private static Delivery[] InOrder(IEnumerable<AckedMessage> acked) => [.. acked.Select(a => new Delivery(a.Seq, a.ClientMsgId, false))];

    [Fact]
    public void Every_message_on_every_device_in_order_once_passes()
    {
        var acked = Acked(5);
        var result = CoupleCheck.Run("c1", acked, [new("a", InOrder(acked)), new("b", InOrder(acked))]);
        Assert.True(result.Passed);
        Assert.Equal(new CoupleCheckResult("c1", 2, 5, 0, 0, 0, 0, 0), result);
    }

    [Fact]
    public void A_message_missing_on_one_device_is_lost_once()
    {
        var acked = Acked(5);
        var result = CoupleCheck.Run("c1", acked, [new("a", InOrder(acked)), new("b", [.. InOrder(acked).Where(d => d.Seq != 3)])]);
        Assert.False(result.Passed);
        Assert.Equal(1, result.Lost);
        Assert.Equal(0, result.OutOfOrder);
    }

    [Fact]
    public void A_seq_delivered_twice_is_a_duplicate()
    {
        var acked = Acked(3);
        Delivery[] twice = [.. InOrder(acked), new Delivery(2, "id2", false)];
        var result = CoupleCheck.Run("c1", acked, [new("a", twice)]);
        Assert.Equal(1, result.Duplicated);
        Assert.Equal(0, result.OutOfOrder);
    }

    [Fact]
    public void An_id_acknowledged_at_two_seqs_was_stored_twice()
    {
        AckedMessage[] acked = [new("id1", 1), new("id1", 2)];
        var result = CoupleCheck.Run("c1", acked, [new("a", [new(1, "id1", false), new(2, "id1", false)])]);
        Assert.Equal(1, result.Duplicated);
        Assert.False(result.Passed);
    }

    [Fact]
    public void A_lower_seq_after_a_higher_one_is_out_of_order()
    {
        var acked = Acked(3);
        var result = CoupleCheck.Run("c1", acked, [new("a", [new(1, "id1", false), new(3, "id3", false), new(2, "id2", false)])]);
        Assert.Equal(1, result.OutOfOrder);
        Assert.Equal(0, result.Lost);
    }

    [Fact]
    public void An_acknowledged_seq_with_another_id_is_a_mismatch()
    {
        var acked = Acked(2);
        var result = CoupleCheck.Run("c1", acked, [new("a", [new(1, "id1", false), new(2, "other", false)])]);
        Assert.Equal(1, result.Mismatched);
        Assert.False(result.Passed);
    }

    [Fact]
    public void Messages_found_only_by_the_final_sync_pass_and_are_counted()
    {
        var acked = Acked(3);
        var result = CoupleCheck.Run("c1", acked, [new("a", [new(1, "id1", false), new(2, "id2", true), new(3, "id3", true)])]);
        Assert.True(result.Passed);
        Assert.Equal(2, result.BySync);
    }

    [Fact]
    public void Messages_not_acknowledged_may_arrive_without_failing()
    {
        // A send that timed out may still have been stored: it arrives, the check does not mind.
        var acked = Acked(2);
        var result = CoupleCheck.Run("c1", acked, [new("a", [.. InOrder(acked), new(3, "unacked", false)])]);
        Assert.True(result.Passed);
    }

    [Property(MaxTest = 200)]
    public bool Dropping_k_messages_from_one_device_loses_exactly_k(FsCheck.PositiveInt count, int seed)
    {
        var n = Math.Min(count.Get, 200);
        var acked = Acked(n);
        var random = new Random(seed);
        var dropped = Enumerable.Range(1, n).Where(_ => random.Next(4) == 0).ToHashSet();
        var device = InOrder(acked).Where(d => !dropped.Contains((int)d.Seq)).ToArray();
        var result = CoupleCheck.Run("c", acked, [new("a", InOrder(acked)), new("b", device)]);
        return result.Lost == dropped.Count && result.Duplicated == 0 && result.OutOfOrder == 0 && result.Passed == (dropped.Count == 0);
    }

    [Property(MaxTest = 200)]
    public bool Repeating_k_deliveries_duplicates_exactly_k(FsCheck.PositiveInt count, int seed)
    {
        var n = Math.Min(count.Get, 200);
        var acked = Acked(n);
        var random = new Random(seed);
        var repeats = Enumerable.Range(0, random.Next(5)).Select(_ => random.Next(1, n + 1)).ToArray();
        Delivery[] device = [.. InOrder(acked), .. repeats.Select(s => new Delivery(s, $"id{s}", false))];
        var result = CoupleCheck.Run("c", acked, [new("a", device)]);
        return result.Duplicated == repeats.Length && result.Lost == 0 && result.OutOfOrder == 0;
    }

    [Property(MaxTest = 200)]
    public bool Any_arrangement_of_each_seq_once_loses_nothing(FsCheck.PositiveInt count, int seed)
    {
        var n = Math.Min(count.Get, 100);
        var acked = Acked(n);
        var shuffled = InOrder(acked);
        new Random(seed).Shuffle(shuffled);
        var result = CoupleCheck.Run("c", acked, [new("a", shuffled)]);
        var sorted = shuffled.Select(d => d.Seq).SequenceEqual(shuffled.Select(d => d.Seq).Order());
        return result.Lost == 0 && result.Duplicated == 0 && (result.OutOfOrder == 0) == sorted;
    }

    [Fact]
    public void Totals_add_up_and_keep_a_bounded_list_of_failing_couples()
    {
        var totals = CheckTotals.Empty;
        for (var i = 0; i < CheckTotals.MaxExamples + 5; i++)
        {
            totals = totals.Add(new CoupleCheckResult($"c{i}", 2, 10, 1, 0, 0, 0, 0));
        }

        totals = totals.Add(new CoupleCheckResult("ok", 2, 10, 0, 0, 0, 0, 3));
        var merged = totals.Merge(totals);
        Assert.Equal(CheckTotals.MaxExamples + 6, totals.Couples);
        Assert.Equal(CheckTotals.MaxExamples + 5, totals.FailedCouples);
        Assert.Equal(CheckTotals.MaxExamples, totals.Examples.Count);
        Assert.Equal(3, totals.BySync);
        Assert.Equal(2 * totals.Lost, merged.Lost);
        Assert.Equal(CheckTotals.MaxExamples, merged.Examples.Count);
        Assert.False(merged.Passed);
    }

    [Fact]
    public void Error_counts_merge_by_code()
    {
        var errors = new ErrorCounts();
        errors.Add("send:TimedOut");
        errors.Add("send:TimedOut", 2);
        errors.Add("server:RateLimited");
        var merged = ErrorCounts.Merge([errors.Snapshot(), new Dictionary<string, long> { ["server:RateLimited"] = 4 }]);
        Assert.Equal(4, errors.Total);
        Assert.Equal(3, merged["send:TimedOut"]);
        Assert.Equal(5, merged["server:RateLimited"]);
    }
}
