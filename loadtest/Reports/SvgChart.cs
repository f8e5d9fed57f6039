using System.Globalization;
using System.Net;
using System.Text;

namespace Chat.LoadTest.Reports;

/// <summary>
/// A self-contained SVG line chart: time on the x axis, one polyline per series, dashed vertical
/// markers for timeline events (ring epochs, scenario actions) with their labels. No script, no
/// external resources: the report opens anywhere.
/// </summary>
internal static class SvgChart
{
    private const int Width = 900;
    private const int Height = 260;
    private const int Left = 60;
    private const int Right = 20;
    private const int Top = 30;
    private const int Bottom = 40;

    public static string Render(string title, string yUnit, IReadOnlyList<ChartSeries> series, IReadOnlyList<TimelineEvent> events)
    {
        var xMax = Math.Max(1, series.SelectMany(s => s.Points).Select(p => p.X).Concat(events.Select(e => e.T)).DefaultIfEmpty(1).Max());
        var yMax = NiceCeiling(series.SelectMany(s => s.Points).Select(p => p.Y).DefaultIfEmpty(0).Max());
        double X(double x) => Left + (x / xMax * (Width - Left - Right));
        double Y(double y) => Top + ((1 - (y / yMax)) * (Height - Top - Bottom));

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"18\" font-size=\"14\" font-weight=\"bold\">{Escape(title)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#999\"/>");
        for (var i = 0; i <= 4; i++)
        {
            var value = yMax * i / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(Y(value))}\" y2=\"{F(Y(value))}\" stroke=\"#eee\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{F(Y(value) + 4)}\" text-anchor=\"end\">{Escape(Label(value))}</text>");
        }

        var xStep = NiceCeiling(xMax / 8);
        for (var x = 0.0; x <= xMax + 0.001; x += xStep)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(x))}\" y=\"{Height - Bottom + 14}\" text-anchor=\"middle\">{Escape(Label(x))}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right}\" y=\"{Height - 6}\" text-anchor=\"end\">seconds</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"{Top - 6}\">{Escape(yUnit)}</text>");

        var labelRow = 0;
        foreach (var e in events.OrderBy(e => e.T))
        {
            var color = e.Kind == "ring" ? "#8a2be2" : "#d2691e";
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(X(e.T))}\" x2=\"{F(X(e.T))}\" y1=\"{Top}\" y2=\"{Height - Bottom}\" stroke=\"{color}\" stroke-dasharray=\"4 3\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(e.T) + 3)}\" y=\"{Top + 12 + (12 * (labelRow++ % 4))}\" fill=\"{color}\">{Escape(e.Label)}</text>");
        }

        // After the title (about 8 px per character at 14 px bold), so the two never overlap.
        var legendX = Left + 30 + (8 * title.Length);
        foreach (var s in series)
        {
            if (s.Points.Count > 0)
            {
                var points = string.Join(' ', s.Points.OrderBy(p => p.X).Select(p => $"{F(X(p.X))},{F(Y(p.Y))}"));
                svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"1.6\" points=\"{points}\"/>");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{legendX}\" y=\"9\" width=\"12\" height=\"4\" fill=\"{s.Color}\"/><text x=\"{legendX + 16}\" y=\"15\">{Escape(s.Name)}</text>");
            legendX += 30 + (7 * s.Name.Length);
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>The smallest of 1, 2, 2.5, 5 x 10^n at or above <paramref name="value"/> (1 for 0 or less).</summary>
    internal static double NiceCeiling(double value)
    {
        if (value <= 0 || double.IsNaN(value) || double.IsInfinity(value))
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= value * 0.999999)
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }

    private static string Label(double value) =>
        value >= 10_000 ? (value / 1000).ToString("0.#", CultureInfo.InvariantCulture) + "k" : value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
