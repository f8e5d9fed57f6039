namespace Chat.Gateway.Weights;

/// <summary>
/// How the gateway turns its load into the weight it publishes (configuration section "Weights");
/// see <see cref="WeightFormula"/>.
/// </summary>
public sealed class WeightOptions
{
    public const string Section = "Weights";

    /// <summary>Weight of an idle gateway. Default 100. Weights only matter relative to the other gateways'.</summary>
    public int MaxWeight { get; set; } = 100;

    /// <summary>
    /// Connections at which the connection share of the weight reaches the floor. Default 50,000.
    /// Set it to what one gateway machine carries comfortably (below Limits:MaxConnections); too
    /// high lets a crowded gateway keep attracting clients until CPU alone pushes it down.
    /// </summary>
    public int ConnectionCapacity { get; set; } = 50_000;

    /// <summary>
    /// CPU use (0..1 of the machine) at which the CPU share of the weight reaches the floor. Default
    /// 0.9: above it a gateway gets only the floor weight.
    /// </summary>
    public double CpuCapacity { get; set; } = 0.9;

    /// <summary>
    /// Shortest interval CPU use is measured over; a sample asked for sooner (a forced publish)
    /// reuses the last figure instead of measuring a few milliseconds of noise. Default 1 s.
    /// </summary>
    public TimeSpan MinCpuInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>One line per problem, or null when the options are usable.</summary>
    public string? Validate()
    {
        var errors = new List<string>();
        if (MaxWeight is < 1 or > 10_000)
        {
            errors.Add($"Weights:MaxWeight is {MaxWeight}: expected 1..10000");
        }

        if (ConnectionCapacity < 1)
        {
            errors.Add($"Weights:ConnectionCapacity is {ConnectionCapacity}: expected 1 or more");
        }

        if (!(CpuCapacity is > 0 and <= 1))
        {
            errors.Add($"Weights:CpuCapacity is {CpuCapacity}: expected more than 0 and at most 1");
        }

        if (MinCpuInterval < TimeSpan.Zero || MinCpuInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add($"Weights:MinCpuInterval is {MinCpuInterval}: expected 0..1 min");
        }

        return errors.Count == 0 ? null : string.Join("; ", errors);
    }
}
