namespace Chat.Gateway.Admission;

/// <summary>Whether a new client connection may stay open.</summary>
public enum AdmissionDecision
{
    Admitted,

    /// <summary><see cref="AdmissionOptions.MaxConnections"/> reached.</summary>
    TooManyConnections,

    /// <summary><see cref="AdmissionOptions.MaxConnectionsPerAddress"/> reached for this source.</summary>
    TooManyFromAddress,

    /// <summary>The gateway is draining and takes no new clients.</summary>
    Draining,
}
