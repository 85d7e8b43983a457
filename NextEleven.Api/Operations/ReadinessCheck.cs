using Microsoft.Extensions.Diagnostics.HealthChecks;
using NextEleven.Api.Clients;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Operations;

/// <summary>
/// Ready while the service can decide requests: its settings were valid (or it would not have started),
/// a set of clients is in force, and a rate-limit store decides (memory or Redis; fallback counts, it is
/// memory deciding). Not ready once the process is stopping, so a load balancer stops sending.
/// </summary>
public sealed class ReadinessCheck(IRateLimitStore store, ClientRegistry clients, IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["rateLimitStore"] = store.State,
            ["clients"] = clients.State,
        };
        var result = lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("stopping", data: data)
            : clients.State == ClientRegistry.LockedOutState
                ? HealthCheckResult.Unhealthy("no clients file in force", data: data)
                : store.State == RateLimiting.Redis.RedisRateLimitStore.FallbackStateName || clients.State == ClientRegistry.StaleState
                    ? HealthCheckResult.Degraded(data: data)
                    : HealthCheckResult.Healthy(data: data);
        return Task.FromResult(result);
    }
}
