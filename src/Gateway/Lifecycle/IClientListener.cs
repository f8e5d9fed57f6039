namespace Chat.Gateway.Lifecycle;

/// <summary>The gateway's client listener(s), implemented by the core that bound them.</summary>
public interface IClientListener
{
    /// <summary>
    /// Closes the listening socket(s): connections in the accept backlog are reset and new ones are
    /// refused by the kernel, so clients move on to the next address. Open connections stay.
    /// </summary>
    Task StopAcceptingAsync(CancellationToken cancellationToken);
}
