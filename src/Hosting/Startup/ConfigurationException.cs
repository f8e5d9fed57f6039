namespace Chat.Hosting.Startup;

/// <summary>
/// A configuration problem found while starting (a key file that does not parse, a certificate that
/// does not load). <see cref="ServerHost.RunAsync"/> prints its message as one line and exits 2.
/// </summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string message)
        : base(message)
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConfigurationException()
    {
    }
}
