using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace Chat.Gateway.Hosting;

/// <summary>Listen addresses in configuration: "ip:port", "[v6]:port", "*:port" or "localhost:port" (port 0: any free port).</summary>
internal static class ListenAddress
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var colon = text.LastIndexOf(':');
        if (colon > 0 && text[..colon] is "*" or "localhost"
            && int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= IPEndPoint.MaxPort)
        {
            endPoint = new IPEndPoint(text[0] == '*' ? IPAddress.Any : IPAddress.Loopback, port);
            return true;
        }

        // IPEndPoint.TryParse accepts a bare address as port 0: insist on an explicit port.
        return colon > 0 && !text.EndsWith(']') && IPEndPoint.TryParse(text, out endPoint);
    }
}
