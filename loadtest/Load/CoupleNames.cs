using System.Globalization;

namespace Chat.LoadTest.Load;

/// <summary>Ids of the run's couples, users and devices: unique per run, so old history never mixes in.</summary>
internal static class CoupleNames
{
    public static string Couple(string runId, int index) => string.Create(CultureInfo.InvariantCulture, $"{runId}-c{index:D6}");

    /// <summary>User 0 or 1 of a couple.</summary>
    public static string User(string coupleId, int user) => coupleId + (user == 0 ? "-a" : "-b");

    public static string Device(string userId, int device) => string.Create(CultureInfo.InvariantCulture, $"{userId}-d{device}");
}
