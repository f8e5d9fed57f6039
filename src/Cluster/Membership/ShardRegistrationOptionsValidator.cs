using Microsoft.Extensions.Options;

namespace Chat.Cluster.Membership;

/// <summary>Checks <see cref="ShardRegistrationOptions"/>; one line per problem.</summary>
public sealed class ShardRegistrationOptionsValidator : IValidateOptions<ShardRegistrationOptions>
{
    public ValidateOptionsResult Validate(string? name, ShardRegistrationOptions options)
    {
        var failures = new List<string>();
        if (MembershipIds.CheckRoot(options.Root) is { } why)
        {
            failures.Add($"Membership:Root '{options.Root}' {why}.");
        }

        if (!MembershipIds.IsValid(options.ShardId))
        {
            failures.Add($"Shard:ShardId '{options.ShardId}' must be 1-{MembershipIds.MaxLength} characters of [A-Za-z0-9_.-].");
        }

        if (string.IsNullOrWhiteSpace(options.Host))
        {
            failures.Add("Shard:Host is required (the address gateways connect to).");
        }

        CheckPort(failures, "Shard:MuxPort", options.MuxPort);
        if (options.DirectPort is { } direct)
        {
            CheckPort(failures, "Shard:DirectPort", direct);
        }

        if (options.AdminPort is { } admin)
        {
            CheckPort(failures, "Shard:AdminPort", admin);
        }

        if (options.Weight is < Routing.RingMember.MinWeight or > Routing.RingMember.MaxWeight)
        {
            failures.Add($"Shard:Weight is {options.Weight}: expected {Routing.RingMember.MinWeight}-{Routing.RingMember.MaxWeight} (100 = normal).");
        }

        if (options.RetryDelay <= TimeSpan.Zero || options.RetryDelay > TimeSpan.FromMinutes(5))
        {
            failures.Add($"Shard:RetryDelay is {options.RetryDelay}: expected more than 0 and at most 5 min.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static void CheckPort(List<string> failures, string name, int port)
    {
        if (port is < 1 or > 65_535)
        {
            failures.Add($"{name} is {port}: expected 1-65535.");
        }
    }
}
