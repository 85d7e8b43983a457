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
            .ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<ShutdownOptions>, ShutdownOptionsValidator>();
        builder.Services.AddOptions<HostOptions>()
            .Configure<Microsoft.Extensions.Options.IOptions<ShutdownOptions>, IHostEnvironment>((host, shutdown, environment) =>
                host.ShutdownTimeout = shutdown.Value.ReadinessDelayIn(environment) + shutdown.Value.DrainTimeout + TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton<StreamDrain>();
        builder.Services.AddHostedService<ShutdownSequence>();
        return builder;
    }
}
