namespace Chat.Tests.Cluster.Routing;

/// <summary>Shapes of couple ids the distribution tests run over.</summary>
public enum CoupleIdForm
{
    /// <summary>"c1" .. "c1000000": ids from a database sequence, the least random input.</summary>
    Sequential,

    /// <summary>"c" + a random number below 10^12 (seed 12345).</summary>
    RandomNumeric,

    /// <summary>16 random characters of [a-z0-9] (seed 12345), like a random token id.</summary>
    Random16,
}
