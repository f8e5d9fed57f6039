using System.Globalization;

namespace Chat.Client.Connection;

/// <summary>One configured endpoint: a DNS name or IP literal and a port.</summary>
internal readonly record struct EndpointAddress(string Host, int Port)
{
    /// <summary>Parses <c>host:port</c>, <c>1.2.3.4:port</c> or <c>[::1]:port</c>.</summary>
    public static bool TryParse(string? text, out EndpointAddress address)
    {
        address = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string host;
        string port;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf("]:", StringComparison.Ordinal);
            if (close < 2)
            {
                return false;
            }

            host = text[1..close];
            port = text[(close + 2)..];
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon < 1 || text.IndexOf(':') != colon)
            {
                return false;
            }

            host = text[..colon];
            port = text[(colon + 1)..];
        }

        if (host.Any(char.IsWhiteSpace)
            || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number is < 1 or > 65535)
        {
            return false;
        }

        address = new EndpointAddress(host, number);
        return true;
    }

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
