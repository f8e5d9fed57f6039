using System.Diagnostics.Metrics;
using Chat.Gateway.Admission;
using Chat.Gateway.Lifecycle;
using Chat.Hosting.Lifecycle;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chat.Gateway.Hosting;

/// <summary>
/// The gateway's <see cref="IDrainProcedure"/>: runs <see cref="GatewayDrain"/> over the parts the
/// runtime built at start (listener, ZooKeeper presence) and the admission controller (open
/// connections). A drain requested before the runtime finished starting has nothing to drain.
/// </summary>
internal sealed class GatewayDrainProcedure(
    GatewayRuntime runtime,
    AdmissionController admission,
    IOptions<DrainOptions> options,
    TimeProvider time,
    IMeterFactory meterFactory,
    ILogger<GatewayDrain> logger) : IDrainProcedure, IDisposable
{
    private GatewayDrain? _drain;

    public DrainProgress Progress => _drain?.Progress ?? new DrainProgress(admission.Count, "serving");

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (runtime.Listener is not { } listener || runtime.Presence is not { } presence)
        {
            admission.StopAdmitting();
            return;
        }

        _drain = new GatewayDrain(listener, admission, new FrameGoAwaySender(), presence, options.Value, time, null, meterFactory, logger);
        await _drain.RunAsync(cancellationToken);
    }

    public void Dispose() => _drain?.Dispose();
}
