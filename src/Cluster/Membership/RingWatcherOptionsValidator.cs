using Microsoft.Extensions.Options;

namespace Chat.Cluster.Membership;

/// <summary>Checks <see cref="RingWatcherOptions"/>; one line per problem.</summary>
public sealed class RingWatcherOptionsValidator : IValidateOptions<RingWatcherOptions>
{
    public ValidateOptionsResult Validate(string? name, RingWatcherOptions options)
    {
        var failures = new List<string>();
        if (MembershipIds.CheckRoot(options.Root) is { } why)
        {
            failures.Add($"Membership:Root '{options.Root}' {why}.");
        }

        if (options.RetryDelay <= TimeSpan.Zero || options.RetryDelay > TimeSpan.FromMinutes(5))
        {
            failures.Add($"Ring:RetryDelay is {options.RetryDelay}: expected more than 0 and at most 5 min.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
