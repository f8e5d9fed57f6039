using System.Net;
using System.Net.Http.Json;
using Chat.Hosting.Admin;
using Chat.Hosting.Lifecycle;
using Chat.Hosting.Startup;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Chat.Tests.Hosting.Admin;

/// <summary>The admin endpoint of a real host on a loopback port, over real HTTP.</summary>
public sealed class AdminEndpointsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Healthz_readyz_and_metrics_answer()
    {
        var check = new SwitchableCheck();
        await using var host = await StartAsync(services => services.AddSingleton<IReadinessCheck>(check));
        using var http = new HttpClient { BaseAddress = host.Address, Timeout = Timeout };

        Assert.Equal("ok\n", await http.GetStringAsync("/healthz"));

        var ready = await http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("switch: ok", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        check.Ready = false;
        var notReady = await http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Contains("switch: NOT READY (switched off)", await notReady.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var metrics = await http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains("# TYPE", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_drain_runs_the_procedure_reports_progress_and_stops_the_host()
    {
        var procedure = new GatedDrain();
        await using var host = await StartAsync(services => services.AddSingleton<IDrainProcedure>(procedure));
        using var http = new HttpClient { BaseAddress = host.Address, Timeout = Timeout };

        var status = await http.GetFromJsonAsync<DrainStatus>("/admin/drain");
        Assert.Equal("serving", status!.Phase);

        var started = await http.PostAsync("/admin/drain", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        await procedure.Started.Task.WaitAsync(Timeout);

        var draining = await http.GetFromJsonAsync<DrainStatus>("/admin/drain");
        Assert.Equal("draining", draining!.Phase);
        Assert.Equal(3, draining.Remaining);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/readyz")).StatusCode);

        // A second request does not start a second drain.
        await http.PostAsync("/admin/drain", null);
        procedure.Finish.TrySetResult();

        await host.Stopped.WaitAsync(Timeout);
        Assert.Equal(1, procedure.Runs);
    }

    [Fact]
    public async Task Bad_option_value_is_one_line_and_exit_code_2()
    {
        var exitCode = await ServerHost.RunAsync(() =>
        {
            var builder = ServerHost.CreateBuilder(["--Admin:Url", "ftp://nope"], "CHAT_TEST_", new Dictionary<string, string>());
            return builder.Build();
        });

        Assert.Equal(ServerHost.ConfigurationErrorExitCode, exitCode);
    }

    private static async Task<RunningHost> StartAsync(Action<IServiceCollection> configure)
    {
        var stopped = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var appReady = new TaskCompletionSource<WebApplication>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(async () =>
        {
            var code = await ServerHost.RunAsync(() =>
            {
                var builder = ServerHost.CreateBuilder([], "CHAT_TEST_", new Dictionary<string, string>());
                configure(builder.Services);
                var app = builder.Build();
                app.Lifetime.ApplicationStarted.Register(() => appReady.TrySetResult(app));
                return app;
            });
            stopped.TrySetResult(code);
            appReady.TrySetException(new InvalidOperationException($"host exited with {code} before it started"));
        });

        var app = await appReady.Task.WaitAsync(Timeout);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new RunningHost(app, new Uri(address), stopped.Task);
    }

    private sealed record RunningHost(WebApplication App, Uri Address, Task<int> Stopped) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await Stopped.WaitAsync(Timeout);
        }
    }

    private sealed class SwitchableCheck : IReadinessCheck
    {
        public volatile bool Ready = true;

        public string Name => "switch";

        public ValueTask<ReadinessResult> CheckAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult(Ready ? ReadinessResult.Ok() : ReadinessResult.NotReady("switched off"));
    }

    private sealed class GatedDrain : IDrainProcedure
    {
        public readonly TaskCompletionSource Started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource Finish = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _runs;

        public int Runs => _runs;

        public DrainProgress Progress => new(3, "three left");

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _runs);
            Started.TrySetResult();
            await Finish.Task.WaitAsync(cancellationToken);
        }
    }
}
