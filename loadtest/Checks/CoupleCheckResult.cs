namespace Chat.LoadTest.Checks;

/// <summary>
/// What the end-of-run check found for one couple, summed over its devices.
/// <list type="bullet">
/// <item><see cref="Lost"/>: (device, acknowledged message) pairs the device never got, live or by the final Sync.</item>
/// <item><see cref="Duplicated"/>: deliveries of a seq the device already had, plus acknowledged ids stored at two seqs.</item>
/// <item><see cref="OutOfOrder"/>: deliveries below a seq the device already had.</item>
/// <item><see cref="Mismatched"/>: an acknowledged seq delivered with another message's id (the store gave one seq to two messages).</item>
/// <item><see cref="BySync"/>: acknowledged messages a device got only from the final Sync (not an error: live delivery missed them, catch-up did not).</item>
/// </list>
/// </summary>
internal sealed record CoupleCheckResult(string CoupleId, int Devices, int Acked, long Lost, long Duplicated, long OutOfOrder, long Mismatched, long BySync)
{
    public bool Passed => Lost == 0 && Duplicated == 0 && OutOfOrder == 0 && Mismatched == 0;
}
