using Chat.Hosting.Startup;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Chat.Tests.Gateway.Support;

/// <summary>A real admin host (Chat.Hosting's ServerHost, Kestrel on a loopback port) for endpoint tests.</summary>
public sealed class AdminHost : IAsyncDisposable
{
    private AdminHost(WebApplication app, Uri address, Task<int> stopped)
    {
        App = app;
        Address = address;
        Stopped = stopped;
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    /// <summary>Completes with the exit code when the host has stopped.</summary>
    public Task<int> Stopped { get; }

    public static async Task<AdminHost> StartAsync(Action<IServiceCollection> configure, Action<WebApplication>? map = null)
    {
        var stopped = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource<WebApplication>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(async () =>
        {
            var code = await ServerHost.RunAsync(() =>
            {
                var builder = ServerHost.CreateBuilder([], "CHAT_GWTEST_", new Dictionary<string, string>());
                configure(builder.Services);
                var app = builder.Build();
                map?.Invoke(app);
                app.Lifetime.ApplicationStarted.Register(() => started.TrySetResult(app));
                return app;
            });
            stopped.TrySetResult(code);
            started.TrySetException(new InvalidOperationException($"host exited with {code} before it started"));
        });

        var app = await started.Task.WaitAsync(Eventually.Bound);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new AdminHost(app, new Uri(address), stopped.Task);
    }

    public async ValueTask DisposeAsync()
    {
        if (!Stopped.IsCompleted)
        {
            await App.StopAsync();
        }

        await Stopped.WaitAsync(Eventually.Bound);
    }
}
