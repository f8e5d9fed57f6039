using System.Diagnostics;
using System.Net;
using Chat.Client;
using Chat.LoadTest.Checks;
using Chat.LoadTest.Reports;
using HdrHistogram;

namespace Chat.LoadTest.Load;

/// <summary>
/// Runs one slice of the load (a <see cref="LoadSpec"/>) in this process: creates the devices,
/// connects them with bounded concurrency, paces sends (chat) or holds (idle) for the duration,
/// waits for in-flight sends and for devices to catch up, runs a final Sync on devices still behind,
/// closes everything and checks every couple. A sample goes to <c>onSample</c> every second.
/// Every phase is bounded in time.
/// </summary>
internal sealed partial class LoadWorker(LoadSpec spec, Action<WorkerSample> onSample)
{
    private readonly WorkerCounters _counters = new();
    private readonly LongHistogram _endToEnd = Histograms.Create();
    private readonly LongHistogram _ack = Histograms.Create();
    private readonly List<CoupleRun> _couples = [];
    private readonly List<Device> _devices = [];

    public async Task<WorkerResult> RunAsync(CancellationToken cancellationToken)
    {
        CreateDevices();
        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampling = SampleLoopAsync(stopSampling.Token);

        var connectStart = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var (connectFailures, connectSeconds) = await ConnectAllAsync(cancellationToken);
        long sendStart = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), sendEnd = sendStart;
        if (spec.Mode != LoadMode.Storm)
        {
            if (spec.Mode == LoadMode.Chat)
            {
                await PaceAsync(cancellationToken);
            }
            else
            {
                await DelayAsync(TimeSpan.FromSeconds(spec.DurationSeconds), cancellationToken);
            }

            sendEnd = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await WaitForInFlightAsync(cancellationToken);
            await SettleAsync(cancellationToken);
            await FinalSyncAsync(cancellationToken);
        }

        var clientCounters = _devices.Select(d => d.Client.Counters).ToArray();
        await CloseAllAsync();
        await stopSampling.CancelAsync();
        await sampling;
        onSample(Sample());

        var checks = CheckTotals.Empty;
        if (spec.Mode != LoadMode.Storm)
        {
            foreach (var couple in _couples)
            {
                checks = checks.Add(couple.Check());
            }
        }

        return new WorkerResult
        {
            Couples = _couples.Count,
            Devices = _devices.Count,
            ConnectFailures = connectFailures,
            ConnectSeconds = connectSeconds,
            ConnectStartUnixMs = connectStart,
            SendStartUnixMs = sendStart,
            SendEndUnixMs = sendEnd,
            Sent = _counters.Sent,
            Acked = _counters.Acked,
            Skipped = _counters.Skipped,
            Delivered = _counters.Delivered,
            Reconnects = clientCounters.Sum(c => c.Reconnects),
            Resyncs = clientCounters.Sum(c => c.Resyncs),
            Gaps = clientCounters.Sum(c => c.GapsDetected),
            SendsRetried = clientCounters.Sum(c => c.SendsRetried),
            Checks = checks,
            Errors = _counters.Errors.Snapshot(),
            EndToEnd = Histograms.Encode(_endToEnd),
            Ack = Histograms.Encode(_ack),
            Connect = Histograms.Encode(_counters.ConnectLatency.GetIntervalHistogram()),
        };
    }

    private void CreateDevices()
    {
        var signer = Cluster.ClusterSecrets.LoadSigner(spec.TokenKeyPath);
        var ca = spec.CaPath is null ? null : System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(spec.CaPath);
        var template = new ChatClientOptions
        {
            Endpoints = [.. spec.Endpoints],
            UseTls = spec.Tls,
            TlsServerName = spec.ServerName,
            PinnedCaCertificate = ca,
            TlsResumption = spec.TlsResumption,
            DeviceId = "template",
            TokenProvider = _ => ValueTask.FromResult(string.Empty),
            InitialBackoff = TimeSpan.FromMilliseconds(100),
            MaxBackoff = TimeSpan.FromSeconds(5),
            SendTimeout = TimeSpan.FromSeconds(60),
            ConnectTimeout = TimeSpan.FromSeconds(15),
        };
        var index = 0;
        for (var c = 0; c < spec.Couples; c++)
        {
            var coupleId = CoupleNames.Couple(spec.RunId, spec.FirstCouple + c);
            var endpoints = spec.CoupleEndpoints?.GetValueOrDefault(coupleId) is { } own ? [own] : template.Endpoints;
            var devices = new List<Device>();
            for (var u = 0; u < 2; u++)
            {
                var userId = CoupleNames.User(coupleId, u);
                var token = signer.Issue(userId, coupleId, TimeSpan.FromHours(2));
                for (var d = 0; d < spec.DevicesPerUser; d++)
                {
                    var options = template with
                    {
                        Endpoints = endpoints,
                        DeviceId = CoupleNames.Device(userId, d),
                        TokenProvider = _ => ValueTask.FromResult(token),
                        Random = new Random(unchecked((spec.Seed * 1_000_003) + spec.FirstCouple + index)),
                        LocalAddress = spec.SourceAddresses > 0 ? SourceAddress(spec.FirstCouple * 2 * spec.DevicesPerUser + index, spec.SourceAddresses) : null,
                    };
                    var device = new Device(coupleId, userId, options.DeviceId, options, _counters);
                    devices.Add(device);
                    _devices.Add(device);
                    index++;
                }
            }

            _couples.Add(new CoupleRun(coupleId, devices, _counters, spec.MessageBytes));
        }
    }

    /// <summary>127.0.0.2 ... 127.0.0.(1 + count), round robin by device index.</summary>
    internal static IPAddress SourceAddress(int deviceIndex, int count) => new([127, 0, 0, (byte)(2 + (deviceIndex % Math.Clamp(count, 1, 250)))]);

    private async Task<(int Failures, double Seconds)> ConnectAllAsync(CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(spec.ConnectTimeoutSeconds));
        using var slots = new SemaphoreSlim(spec.ConnectConcurrency);
        var failures = 0;
        var clock = Stopwatch.StartNew();
        var connects = _devices.Select(async device =>
        {
            try
            {
                await slots.WaitAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref failures);
                _counters.Errors.Add("connect:NotAttempted");
                return;
            }

            try
            {
                var started = Stopwatch.GetTimestamp();
                var result = await device.Client.ConnectAsync(bound.Token);
                if (result.Status == ConnectStatus.Connected)
                {
                    Histograms.Record(_counters.ConnectLatency, (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                    _counters.FirstConnect();
                }
                else
                {
                    Interlocked.Increment(ref failures);
                    _counters.Errors.Add("connect:" + (result.Error?.ToString() ?? result.Status.ToString()));
                }
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref failures);
                _counters.Errors.Add("connect:TimedOut");
            }
            finally
            {
                slots.Release();
            }
        });
        await Task.WhenAll(connects);
        return (failures, clock.Elapsed.TotalSeconds);
    }

    private async Task PaceAsync(CancellationToken cancellationToken)
    {
        if (_couples.Count == 0 || spec.Rate <= 0)
        {
            await DelayAsync(TimeSpan.FromSeconds(spec.DurationSeconds), cancellationToken);
            return;
        }

        var pacer = new Pacer(spec.Rate);
        var duration = TimeSpan.FromSeconds(spec.DurationSeconds);
        var clock = Stopwatch.StartNew();
        var next = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        while (clock.Elapsed < duration && await timer.WaitForNextTickAsync(cancellationToken))
        {
            var due = pacer.Due(clock.Elapsed);
            for (var i = 0; i < due; i++)
            {
                if (_counters.InFlight >= spec.MaxInFlight)
                {
                    _counters.Skip(due - i);
                    break;
                }

                var couple = _couples[next++ % _couples.Count];
                _ = couple.SendOneAsync(cancellationToken);
            }
        }
    }

    private async Task WaitForInFlightAsync(CancellationToken cancellationToken)
    {
        // Sends give up after their SendTimeout (60 s), so this ends; the bound is a safety net.
        await PollAsync(() => _counters.InFlight == 0, TimeSpan.FromSeconds(75), cancellationToken);
    }

    private Task SettleAsync(CancellationToken cancellationToken) =>
        PollAsync(() => _couples.All(c => c.CaughtUp()), TimeSpan.FromSeconds(spec.SettleSeconds), cancellationToken);

    private async Task FinalSyncAsync(CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(60));
        var behind = _couples.SelectMany(c => c.Devices.Where(d => d.Client.LastSeq < c.HighestAcked)).ToArray();
        try
        {
            await Parallel.ForEachAsync(behind, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = bound.Token }, async (device, token) =>
                await device.FinalSyncAsync(maxPages: 50, token));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _counters.Errors.Add("final-sync:TimedOut");
        }
    }

    private async Task CloseAllAsync()
    {
        await Parallel.ForEachAsync(_devices, new ParallelOptions { MaxDegreeOfParallelism = 256 }, async (device, _) => await device.DisposeAsync());
    }

    private async Task SampleLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                onSample(Sample());
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended: the last sample is taken by RunAsync.
        }
    }

    private WorkerSample Sample()
    {
        var endToEnd = _counters.EndToEnd.GetIntervalHistogram();
        var ack = _counters.AckLatency.GetIntervalHistogram();
        _endToEnd.Add(endToEnd);
        _ack.Add(ack);
        return new WorkerSample
        {
            UnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            Connected = _counters.Connected,
            Sent = _counters.Sent,
            Acked = _counters.Acked,
            Delivered = _counters.Delivered,
            Skipped = _counters.Skipped,
            Errors = _counters.Errors.Total,
            Reconnects = _devices.Sum(d => d.Client.Counters.Reconnects),
            EndToEnd = endToEnd.TotalCount == 0 ? null : Histograms.Encode(endToEnd),
            Ack = ack.TotalCount == 0 ? null : Histograms.Encode(ack),
        };
    }

    private static async Task PollAsync(Func<bool> done, TimeSpan bound, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!done() && clock.Elapsed < bound)
        {
            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) => await Task.Delay(delay, cancellationToken);
}
