using Chat.Hosting.Admin;
using Chat.Hosting.Lifecycle;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chat.Hosting.Startup;

/// <summary>
/// Builds and runs a server process on the generic host with Kestrel serving only the admin
/// endpoint. Configuration: appsettings.json, then environment variables with the process's prefix
/// (e.g. CHAT_SHARD_Redis__Configuration), then the command line (`--Section:Key value` or the
/// process's short switches). Options are validated at start: a bad value prints one line,
/// "configuration error: ...", and the process exits with code 2.
/// </summary>
public static class ServerHost
{
    public const int ConfigurationErrorExitCode = 2;

    public static WebApplicationBuilder CreateBuilder(string[] args, string environmentPrefix, IDictionary<string, string> switchMappings)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.AddEnvironmentVariables(environmentPrefix);
        builder.Configuration.AddCommandLine(args, switchMappings);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });

        builder.Services.AddValidatedOptions<AdminOptions>("Admin", o => o.Validate());
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DrainController>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DrainController>());
        builder.WebHost.UseUrls(builder.Configuration["Admin:Url"] ?? new AdminOptions().Url);
        return builder;
    }

    /// <summary>Binds a section to options validated at start by a function returning an error or null.</summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section, Func<T, string?> validate)
        where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new FunctionValidator<T>(validate));
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>
    /// Runs the host until it stops. Returns the process exit code: 0 after a normal stop or drain,
    /// 2 on a configuration error (one line on stderr), 1 on any other start failure.
    /// </summary>
    public static async Task<int> RunAsync(Func<WebApplication> build)
    {
        WebApplication app;
        try
        {
            app = build();
            app.MapAdminEndpoints();
            await app.StartAsync();
        }
        catch (Exception ex) when (ConfigurationError(ex) is { } message)
        {
            await Console.Error.WriteLineAsync("configuration error: " + message);
            return ConfigurationErrorExitCode;
        }

        // prometheus-net attaches its System.Diagnostics.Metrics listener at the first collection:
        // collect once now, so measurements made before the first scrape are not lost.
        await Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null);

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Chat.Hosting");
        foreach (var address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        {
            HostingLog.AdminListening(logger, address);
        }

        await app.WaitForShutdownAsync();
        await app.DisposeAsync();
        return 0;
    }

    private static string? ConfigurationError(Exception ex) => ex switch
    {
        OptionsValidationException v => string.Join("; ", v.Failures),
        ConfigurationException c => c.Message,
        // The configuration binder throws this for a value of the wrong type ("abc" for an int).
        InvalidOperationException { InnerException: FormatException or OverflowException } i => i.Message + " " + i.InnerException!.Message,
        FormatException f => f.Message,
        AggregateException { InnerExceptions.Count: 1 } a => ConfigurationError(a.InnerException!),
        _ => null,
    };

    private sealed class FunctionValidator<T>(Func<T, string?> validate) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            validate(options) is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
    }
}
