using Microsoft.Extensions.Options;

namespace Chat.Cluster.ZooKeeper;

/// <summary>Checks <see cref="ZooKeeperClientOptions"/>; each failure is one line naming the setting.</summary>
public sealed class ZooKeeperClientOptionsValidator : IValidateOptions<ZooKeeperClientOptions>
{
    public ValidateOptionsResult Validate(string? name, ZooKeeperClientOptions options)
    {
        var failures = new List<string>();
        if (ConnectString.TryParse(options.ConnectString, out var error) is null)
        {
            failures.Add($"ZooKeeper:ConnectString: {error}.");
        }

        if (options.SessionTimeout < TimeSpan.FromMilliseconds(100) || options.SessionTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"ZooKeeper:SessionTimeout is {options.SessionTimeout}: expected 100 ms to 1 h.");
        }

        if (options.ConnectTimeout <= TimeSpan.Zero || options.ConnectTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"ZooKeeper:ConnectTimeout is {options.ConnectTimeout}: expected more than 0 and at most 5 min.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"ZooKeeper:RequestTimeout is {options.RequestTimeout}: expected more than 0 and at most 1 h.");
        }

        if (options.MaxPendingRequests is < 1 or > 1_000_000)
        {
            failures.Add($"ZooKeeper:MaxPendingRequests is {options.MaxPendingRequests}: expected 1 to 1,000,000.");
        }

        if (options.MaxFrameBytes is < 64 * 1024 or > 256 * 1024 * 1024)
        {
            failures.Add($"ZooKeeper:MaxFrameBytes is {options.MaxFrameBytes}: expected 64 KiB to 256 MiB.");
        }

        if (options.ReconnectDelay < TimeSpan.Zero || options.MaxReconnectDelay < options.ReconnectDelay
            || options.MaxReconnectDelay > TimeSpan.FromMinutes(5))
        {
            failures.Add($"ZooKeeper:ReconnectDelay ({options.ReconnectDelay}) and MaxReconnectDelay ({options.MaxReconnectDelay}): expected 0 <= ReconnectDelay <= MaxReconnectDelay <= 5 min.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
