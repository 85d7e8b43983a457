using Microsoft.Extensions.Options;
using NextEleven.Api.RateLimiting.Redis;

namespace NextEleven.Api.Usage;

/// <summary>Registers the usage ledger (SQLite, or Redis when the limits are on Redis), the recorder that writes it, and the budgets' rebuild from it.</summary>
internal static class UsageServiceExtensions
{
    public static IHostApplicationBuilder AddUsage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<UsageOptions>().BindConfiguration(UsageOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<UsageOptions>, UsageOptionsValidator>();
        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.AddSingleton<IUsageLedger>(services =>
        {
            var usage = services.GetRequiredService<IOptions<UsageOptions>>().Value;
            var redis = services.GetRequiredService<IOptions<RedisStoreOptions>>();
            return redis.Value.IsEnabled
                ? new RedisUsageLedger(redis, services.GetRequiredService<IOptions<UsageOptions>>())
                : new SqliteUsageLedger(Path.GetFullPath(usage.Database, contentRoot));
        });
        builder.Services.AddSingleton<UsageRecorder>();
        builder.Services.AddHostedService<BudgetRebuild>();
        builder.Services.AddHostedService(services => services.GetRequiredService<UsageRecorder>());
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, UsageJsonContext.Default));
        return builder;
    }
}
