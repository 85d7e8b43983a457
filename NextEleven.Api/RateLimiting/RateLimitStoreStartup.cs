using NextEleven.Api.RateLimiting.Redis;

namespace NextEleven.Api.RateLimiting;

/// <summary>
/// Connects a shared store before the server takes its first request (hosted services start before the
/// server), and reports which store decides in the metrics.
/// </summary>
internal sealed class RateLimitStoreStartup(IRateLimitStore store, RateLimitMetrics metrics) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.ObserveStore(() => store.State);
        if (store is RedisRateLimitStore redis)
        {
            await redis.ConnectAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
