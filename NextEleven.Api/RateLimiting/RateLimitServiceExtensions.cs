namespace NextEleven.Api.RateLimiting;

public static class RateLimitServiceExtensions
{
    public static IServiceCollection AddClientRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.SectionName)
            .Validate(o => o.PermitLimit >= 1, "RateLimit:PermitLimit must be at least 1.")
            .Validate(o => IsValidWindow(o.Window), "RateLimit:Window must be a whole number of seconds from 00:00:01 to 1.00:00:00.")
            .Validate(o => o.MaxTrackedClients >= 1, "RateLimit:MaxTrackedClients must be at least 1.")
            .Validate(o => o.Public.PermitLimit >= 1, "RateLimit:Public:PermitLimit must be at least 1.")
            .Validate(o => IsValidWindow(o.Public.Window), "RateLimit:Public:Window must be a whole number of seconds from 00:00:01 to 1.00:00:00.")
            .ValidateOnStart();
        services.AddSingleton<RateLimitMetrics>();
        services.AddSingleton<ClientRateLimiter>();
        return services;
    }

    private static bool IsValidWindow(TimeSpan window) =>
        window >= TimeSpan.FromSeconds(1) && window <= TimeSpan.FromDays(1) && window.Ticks % TimeSpan.TicksPerSecond == 0;
}
