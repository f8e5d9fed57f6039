namespace Chat.Gateway.Weights;

/// <summary>
/// The published weight, from the two resources a gateway runs out of:
/// <code>
///   cpuShare  = 1 - min(cpu / CpuCapacity, 1)
///   connShare = 1 - min(connections / ConnectionCapacity, 1)
///   weight    = draining ? 0 : max(1, round(MaxWeight * min(cpuShare, connShare)))
/// </code>
/// 100 at idle, 50 at half the CPU capacity or half the connection capacity (whichever is
/// fuller), 1 when full. The floor of 1 keeps a serving gateway in DNS: when every gateway is
/// full they share equally instead of all vanishing. Only a draining gateway publishes 0.
/// </summary>
public static class WeightFormula
{
    public static int Compute(int connections, double cpu, bool draining, WeightOptions options)
    {
        if (draining)
        {
            return 0;
        }

        var cpuShare = 1 - Math.Min(Math.Max(Finite(cpu), 0) / options.CpuCapacity, 1);
        var connectionShare = 1 - Math.Min((double)Math.Max(connections, 0) / options.ConnectionCapacity, 1);
        var weight = (int)Math.Round(options.MaxWeight * Math.Min(cpuShare, connectionShare), MidpointRounding.AwayFromZero);
        return Math.Max(1, weight);
    }

    private static double Finite(double value) => double.IsFinite(value) ? value : 1;
}
