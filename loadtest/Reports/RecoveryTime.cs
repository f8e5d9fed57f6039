namespace Chat.LoadTest.Reports;

/// <summary>
/// How long the load took to recover after a fault: from the action until the first second from
/// which the acknowledged rate stays at or above <c>fraction</c> of the rate before the action for
/// <c>hold</c> consecutive seconds. Null when it never recovered within the timeline.
/// </summary>
internal static class RecoveryTime
{
    public static double? After(IReadOnlyList<TimePoint> timeline, double actionAt, double fraction = 0.9, int hold = 3)
    {
        var before = timeline.Where(p => p.T < actionAt && p.T >= actionAt - 10 && p.AckedPerSecond > 0).Select(p => p.AckedPerSecond).Order().ToArray();
        if (before.Length == 0)
        {
            return null;
        }

        var baseline = before[before.Length / 2];
        var after = timeline.Where(p => p.T > actionAt).OrderBy(p => p.T).ToArray();
        for (var i = 0; i + hold <= after.Length; i++)
        {
            if (after.Skip(i).Take(hold).All(p => p.AckedPerSecond >= fraction * baseline))
            {
                // The first good second ends at T; the load was back during the second before it.
                return Math.Max(0, Math.Round(after[i].T - 1 - actionAt, 1));
            }
        }

        return null;
    }
}
