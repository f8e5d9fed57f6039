using System.Globalization;
using Spectre.Console;

namespace Chat.LoadTest.Reports;

/// <summary>
/// Live progress in the terminal, once a second: phase, connections, messages, latency of the last
/// second, reconnects, errors. A Spectre.Console live table on a terminal; one plain line every 5 s
/// when output is redirected (CI, scripts), so logs stay readable.
/// </summary>
internal sealed class LiveProgress(TimelineRecorder timeline, Func<string> phase)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            await PlainAsync(cancellationToken);
            return;
        }

        var table = new Table().AddColumns("phase", "t (s)", "connected", "sent", "acked", "delivered", "p50 ms", "p99 ms", "reconnects", "errors");
        table.AddRow(Row());
        await AnsiConsole.Live(table).StartAsync(async context =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            try
            {
                while (await timer.WaitForNextTickAsync(cancellationToken))
                {
                    table.UpdateCell(0, 0, Markup.Escape(phase()));
                    var cells = Row();
                    for (var i = 1; i < cells.Length; i++)
                    {
                        table.UpdateCell(0, i, cells[i]);
                    }

                    context.Refresh();
                }
            }
            catch (OperationCanceledException)
            {
                // The run ended.
            }
        });
    }

    private async Task PlainAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var cells = Row();
                Console.WriteLine($"[{cells[1],6} s] {phase(),-10} connected {cells[2]}, sent {cells[3]}, acked {cells[4]}, delivered {cells[5]}, p50 {cells[6]} ms, p99 {cells[7]} ms, reconnects {cells[8]}, errors {cells[9]}");
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }

    private string[] Row()
    {
        var latest = timeline.Latest();
        var points = timeline.Build();
        var last = points.Count > 0 ? points[^1] : null;
        return
        [
            Markup.Escape(phase()),
            timeline.Seconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).ToString("0", CultureInfo.InvariantCulture),
            latest.Connected.ToString("N0", CultureInfo.InvariantCulture),
            latest.Sent.ToString("N0", CultureInfo.InvariantCulture),
            latest.Acked.ToString("N0", CultureInfo.InvariantCulture),
            latest.Delivered.ToString("N0", CultureInfo.InvariantCulture),
            (last?.P50Ms ?? 0).ToString("0.###", CultureInfo.InvariantCulture),
            (last?.P99Ms ?? 0).ToString("0.###", CultureInfo.InvariantCulture),
            latest.Reconnects.ToString("N0", CultureInfo.InvariantCulture),
            latest.Errors.ToString("N0", CultureInfo.InvariantCulture),
        ];
    }
}
