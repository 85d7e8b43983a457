using Microsoft.Extensions.Options;
using NextEleven.Api.RateLimiting.Redis;

namespace NextEleven.Api.RateLimiting;

/// <summary>Registers the limiter, its store (memory or Redis) and the token budgets.</summary>
internal static class RateLimitServiceExtensions
{
    public static IHostApplicationBuilder AddClientRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.SectionName)
            .Validate(o => o.PermitLimit >= 1, "RateLimit:PermitLimit must be at least 1.")
            .Validate(o => IsValidWindow(o.Window), "RateLimit:Window must be a whole number of seconds from 00:00:01 to 1.00:00:00.")
            .Validate(o => o.MaxTrackedClients >= 1, "RateLimit:MaxTrackedClients must be at least 1.")
            .Validate(o => o.Public.PermitLimit >= 1, "RateLimit:Public:PermitLimit must be at least 1.")
            .Validate(o => IsValidWindow(o.Public.Window), "RateLimit:Public:Window must be a whole number of seconds from 00:00:01 to 1.00:00:00.")
            .Validate(o => o.Tiers.Values.All(t => t.PermitLimit is null or >= 1 && (t.Window is null || IsValidWindow(t.Window.Value))),
                "RateLimit:Tiers: each tier's PermitLimit must be at least 1 and its Window a whole number of seconds from 00:00:01 to 1.00:00:00.")
            .Validate(o => IsValidTokenLimit(o.Tokens) && o.Tiers.Values.All(t => t.Tokens is null || IsValidTokenLimit(t.Tokens)),
                "RateLimit:Tokens (and each tier's Tokens): PermitLimit must be from 1 to 2147483647 and Window a whole number of seconds from 00:00:01 to 1.00:00:00.")
            .ValidateOnStart();
        builder.Services.AddOptions<RedisStoreOptions>()
            .BindConfiguration(RedisStoreOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) =>
                options.ConnectionString = configuration.GetConnectionString(RedisStoreOptions.ConnectionStringName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RedisStoreOptions>, RedisStoreOptionsValidator>();

        builder.Services.AddSingleton<RateLimitMetrics>();
        builder.Services.AddSingleton<MemoryRateLimitStore>();
        // Chosen when first resolved, after every configuration source (tests' included) is in place.
        builder.Services.AddSingleton<IRateLimitStore>(provider =>
            provider.GetRequiredService<IOptions<RedisStoreOptions>>().Value.IsEnabled
                ? ActivatorUtilities.CreateInstance<RedisRateLimitStore>(provider)
                : provider.GetRequiredService<MemoryRateLimitStore>());
        builder.Services.AddHostedService<RateLimitStoreStartup>();
        builder.Services.AddSingleton<ClientRateLimiter>();
        builder.Services.AddSingleton<TokenBudget>();
        return builder;
    }

    private static bool IsValidWindow(TimeSpan window) => RateLimitOptions.IsValidWindow(window);

    private static bool IsValidTokenLimit(TokenLimitOptions tokens) =>
        TokenLimitOptions.IsValidLimit(tokens.PermitLimit) && (tokens.Window is null || IsValidWindow(tokens.Window.Value));
}
