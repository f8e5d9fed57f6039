namespace Chat.Protocol.Security;

/// <summary>Why a token was refused. Map to Error{AuthFailed}, or Error{TokenExpired} for <see cref="Expired"/>.</summary>
public enum TokenFailure
{
    /// <summary>The token is valid.</summary>
    None = 0,

    /// <summary>Not v1.&lt;keyId&gt;.&lt;userId&gt;.&lt;coupleId&gt;.&lt;expiresUnix&gt;.&lt;sig&gt; with valid parts, or too long.</summary>
    Malformed,

    /// <summary>Starts with a version other than v1 (e.g. "v2").</summary>
    UnsupportedVersion,

    /// <summary>Names a key id this verifier does not have.</summary>
    UnknownKey,

    /// <summary>The signature does not match the content under the named key.</summary>
    BadSignature,

    /// <summary>Correctly signed, but its expiry (plus the clock-skew allowance) has passed.</summary>
    Expired,
}
