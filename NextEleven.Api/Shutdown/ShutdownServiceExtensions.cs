namespace NextEleven.Api.Shutdown;

public static class ShutdownServiceExtensions
{
    /// <summary>
    /// A graceful stop: streams get <c>Shutdown:DrainTimeout</c> to finish, then end with an error event;
    /// the host waits a little longer than that for them, then exits.
    /// </summary>
    public static IServiceCollection AddGracefulShutdown(this IServiceCollection services)
    {
        services.AddOptions<ShutdownOptions>()
            .BindConfiguration(ShutdownOptions.SectionName)
            .Validate(o => o.DrainTimeout >= TimeSpan.Zero && o.DrainTimeout <= TimeSpan.FromMinutes(10),
                "Shutdown:DrainTimeout must be from 00:00:00 to 00:10:00.")
            .ValidateOnStart();
        services.AddOptions<HostOptions>()
            .Configure<Microsoft.Extensions.Options.IOptions<ShutdownOptions>>((host, shutdown) =>
                host.ShutdownTimeout = shutdown.Value.DrainTimeout + TimeSpan.FromSeconds(5));
        services.AddSingleton<StreamDrain>();
        return services;
    }
}
