using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NextEleven.Api.Clients;
using NextEleven.Api.Providers;
using NextEleven.Api.RateLimiting;
using NextEleven.Api.RateLimiting.Redis;

namespace NextEleven.Api.Operations;

/// <summary>
/// Ready while the service can decide requests: its settings were valid (or it would not have started),
/// a set of clients is in force, and a rate-limit store decides (memory or Redis; fallback counts, it is
/// memory deciding). Each provider target's breaker is reported beside, never making it unready. Not ready once the process is stopping, so a load balancer stops sending. Also a
/// gauge, <c>nexteleven.ready</c>, for alerting.
/// </summary>
internal sealed class ReadinessCheck : IHealthCheck
{
    private readonly IRateLimitStore _store;
    private readonly ClientRegistry _clients;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ChatRoutes _routes;

    public ReadinessCheck(IRateLimitStore store, ClientRegistry clients, IHostApplicationLifetime lifetime, ChatRoutes routes,
        IMeterFactory meters)
    {
        _routes = routes;
        _store = store;
        _clients = clients;
        _lifetime = lifetime;
        meters.Create(RateLimitMetrics.MeterName).CreateObservableGauge("nexteleven.ready",
            () => Evaluate() == HealthStatus.Unhealthy ? 0 : 1, "{instance}", "1 while this instance can decide requests (what /readyz answers 200 to).");
    }

    public HealthStatus Evaluate() =>
        _lifetime.ApplicationStopping.IsCancellationRequested || _clients.State == ClientRegistry.LockedOutState
            ? HealthStatus.Unhealthy
            : _store.State == RedisRateLimitStore.FallbackStateName || _clients.State == ClientRegistry.StaleState
                ? HealthStatus.Degraded
                : HealthStatus.Healthy;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["rateLimitStore"] = _store.State,
            ["clients"] = _clients.State,
            // A provider outage is not a reason to leave the load balancer: reported, never unready.
            ["providers"] = _routes.Targets.ToDictionary(t => t.Name, t => BreakerStates.Name(t.Breaker.State), StringComparer.Ordinal),
        };
        return Task.FromResult(new HealthCheckResult(Evaluate(), data: data));
    }
}
