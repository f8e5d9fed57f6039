namespace Chat.LoadTest.Checks;

/// <summary>The delivery check summed over couples (and over worker processes), with the first failing couples.</summary>
internal sealed record CheckTotals
{
    public long Couples { get; init; }

    public long FailedCouples { get; init; }

    public long Acked { get; init; }

    public long Lost { get; init; }

    public long Duplicated { get; init; }

    public long OutOfOrder { get; init; }

    public long Mismatched { get; init; }

    public long BySync { get; init; }

    /// <summary>Up to <see cref="MaxExamples"/> failing couples, for the report.</summary>
    public IReadOnlyList<CoupleCheckResult> Examples { get; init; } = [];

    public const int MaxExamples = 20;

    public bool Passed => Lost == 0 && Duplicated == 0 && OutOfOrder == 0 && Mismatched == 0;

    public static CheckTotals Empty { get; } = new();

    public CheckTotals Add(CoupleCheckResult couple) => this with
    {
        Couples = Couples + 1,
        FailedCouples = FailedCouples + (couple.Passed ? 0 : 1),
        Acked = Acked + couple.Acked,
        Lost = Lost + couple.Lost,
        Duplicated = Duplicated + couple.Duplicated,
        OutOfOrder = OutOfOrder + couple.OutOfOrder,
        Mismatched = Mismatched + couple.Mismatched,
        BySync = BySync + couple.BySync,
        Examples = couple.Passed || Examples.Count >= MaxExamples ? Examples : [.. Examples, couple],
    };

    public CheckTotals Merge(CheckTotals other) => new()
    {
        Couples = Couples + other.Couples,
        FailedCouples = FailedCouples + other.FailedCouples,
        Acked = Acked + other.Acked,
        Lost = Lost + other.Lost,
        Duplicated = Duplicated + other.Duplicated,
        OutOfOrder = OutOfOrder + other.OutOfOrder,
        Mismatched = Mismatched + other.Mismatched,
        BySync = BySync + other.BySync,
        Examples = [.. Examples.Concat(other.Examples).Take(MaxExamples)],
    };
}
