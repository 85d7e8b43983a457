namespace NextEleven.Api.Shutdown;

/// <summary>Registers the graceful shutdown: readiness first, then the drain.</summary>
internal static class ShutdownServiceExtensions
{
    /// <summary>
    /// A graceful stop: not ready but still serving for <c>Shutdown:ReadinessDelay</c>, then streams get
    /// <c>Shutdown:DrainTimeout</c> to finish and end with an error event; the host waits a little longer
    /// than both for them, then exits.
    /// </summary>
    public static IHostApplicationBuilder AddGracefulShutdown(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ShutdownOptions>()
            .BindConfiguration(ShutdownOptions.SectionName)
            .Validate(o => o.DrainTimeout >= TimeSpan.Zero && o.DrainTimeout <= TimeSpan.FromMinutes(10),
                "Shutdown:DrainTimeout must be from 00:00:00 to 00:10:00.")
            .Validate(o => o.ReadinessDelay is null || o.ReadinessDelay >= TimeSpan.Zero && o.ReadinessDelay <= TimeSpan.FromMinutes(5),
                "Shutdown:ReadinessDelay must be from 00:00:00 to 00:05:00.")
            .ValidateOnStart();
        builder.Services.AddOptions<HostOptions>()
            .Configure<Microsoft.Extensions.Options.IOptions<ShutdownOptions>, IHostEnvironment>((host, shutdown, environment) =>
                host.ShutdownTimeout = shutdown.Value.ReadinessDelayIn(environment) + shutdown.Value.DrainTimeout + TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton<StreamDrain>();
        builder.Services.AddHostedService<ShutdownSequence>();
        return builder;
    }
}
