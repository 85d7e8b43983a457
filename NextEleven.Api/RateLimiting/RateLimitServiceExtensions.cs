using Microsoft.Extensions.Options;
using NextEleven.Api.RateLimiting.Redis;

namespace NextEleven.Api.RateLimiting;

/// <summary>Registers the limiter and its store (memory or Redis).</summary>
internal static class RateLimitServiceExtensions
{
    public static IHostApplicationBuilder AddClientRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>();
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
        return builder;
    }
}
