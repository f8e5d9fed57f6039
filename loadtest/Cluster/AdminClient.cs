using System.Globalization;
using System.Text.Json;

namespace Chat.LoadTest.Cluster;

/// <summary>Calls a server's admin HTTP endpoint: drain, drain progress, Prometheus metrics.</summary>
internal sealed class AdminClient : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>POST /admin/drain; true when the server accepted it.</summary>
    public async Task<bool> StartDrainAsync(Uri admin, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.PostAsync(new Uri(admin, "/admin/drain"), null, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>GET /admin/drain's phase ("serving", "draining", "drained"), or null when it does not answer.</summary>
    public async Task<string?> DrainPhaseAsync(Uri admin, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await _http.GetStreamAsync(new Uri(admin, "/admin/drain"), cancellationToken);
            using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            return json.RootElement.TryGetProperty("phase", out var phase) ? phase.GetString() : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <summary>GET /metrics as text, or null when it does not answer.</summary>
    public async Task<string?> MetricsAsync(Uri admin, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.GetStringAsync(new Uri(admin, "/metrics"), cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// The sum over every label set of the Prometheus samples whose name ends with
    /// <paramref name="suffix"/> (prometheus-net prefixes the meter name, so the harness matches the
    /// end: <c>chat_gateway_chat_gateway_streams_rehomed</c>), optionally only lines containing
    /// <paramref name="labelFilter"/>.
    /// </summary>
    public static double SumMetric(string metricsText, string suffix, string? labelFilter = null)
    {
        double sum = 0;
        foreach (var raw in metricsText.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var nameEnd = line.IndexOfAny(['{', ' ']);
            if (nameEnd <= 0 || !line.AsSpan(0, nameEnd).EndsWith(suffix, StringComparison.Ordinal))
            {
                continue;
            }

            if (labelFilter is not null && !line.Contains(labelFilter, StringComparison.Ordinal))
            {
                continue;
            }

            var valueStart = line.LastIndexOf(' ');
            if (double.TryParse(line.AsSpan(valueStart + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                sum += value;
            }
        }

        return sum;
    }

    public void Dispose() => _http.Dispose();
}
