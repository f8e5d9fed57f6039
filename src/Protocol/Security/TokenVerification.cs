using System.Diagnostics.CodeAnalysis;

namespace Chat.Protocol.Security;

/// <summary>The outcome of <see cref="TokenVerifier.Verify"/>: claims when valid, a failure reason otherwise.</summary>
public readonly record struct TokenVerification(TokenFailure Failure, TokenClaims? Claims)
{
    /// <summary>True when the token is valid and <see cref="Claims"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Claims))]
    public bool IsValid => Failure == TokenFailure.None && Claims is not null;

    internal static TokenVerification Fail(TokenFailure failure) => new(failure, null);
}
