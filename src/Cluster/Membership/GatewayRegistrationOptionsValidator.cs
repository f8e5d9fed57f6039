using Microsoft.Extensions.Options;

namespace Chat.Cluster.Membership;

/// <summary>Checks <see cref="GatewayRegistrationOptions"/>; one line per problem.</summary>
public sealed class GatewayRegistrationOptionsValidator : IValidateOptions<GatewayRegistrationOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayRegistrationOptions options)
    {
        var failures = new List<string>();
        if (MembershipIds.CheckRoot(options.Root) is { } why)
        {
            failures.Add($"Membership:Root '{options.Root}' {why}.");
        }

        if (!MembershipIds.IsValid(options.GatewayId))
        {
            failures.Add($"Gateway:GatewayId '{options.GatewayId}' must be 1-{MembershipIds.MaxLength} characters of [A-Za-z0-9_.-].");
        }

        if (string.IsNullOrWhiteSpace(options.Host))
        {
            failures.Add("Gateway:Host is required (the address clients connect to).");
        }

        ShardRegistrationOptionsValidator.CheckPort(failures, "Gateway:Port", options.Port);
        if (options.AdminUrl is { } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            failures.Add($"Gateway:AdminUrl '{url}' is not an absolute URL.");
        }

        if (options.RefreshInterval < TimeSpan.FromMilliseconds(100) || options.RefreshInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"Gateway:RefreshInterval is {options.RefreshInterval}: expected 100 ms to 1 h.");
        }

        if (options.RetryDelay <= TimeSpan.Zero || options.RetryDelay > TimeSpan.FromMinutes(5))
        {
            failures.Add($"Gateway:RetryDelay is {options.RetryDelay}: expected more than 0 and at most 5 min.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
