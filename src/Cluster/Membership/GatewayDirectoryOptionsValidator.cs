using Microsoft.Extensions.Options;

namespace Chat.Cluster.Membership;

/// <summary>Checks <see cref="GatewayDirectoryOptions"/>; one line per problem.</summary>
public sealed class GatewayDirectoryOptionsValidator : IValidateOptions<GatewayDirectoryOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayDirectoryOptions options)
    {
        var failures = new List<string>();
        if (MembershipIds.CheckRoot(options.Root) is { } why)
        {
            failures.Add($"Membership:Root '{options.Root}' {why}.");
        }

        if (options.RetryDelay <= TimeSpan.Zero || options.RetryDelay > TimeSpan.FromMinutes(5))
        {
            failures.Add($"GatewayDirectory:RetryDelay is {options.RetryDelay}: expected more than 0 and at most 5 min.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
