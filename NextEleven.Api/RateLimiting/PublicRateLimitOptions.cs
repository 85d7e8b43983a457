namespace NextEleven.Api.RateLimiting;

/// <summary>The public health check's per-IP policy, generous enough that load-balancer probes never trip it.</summary>
internal sealed class PublicRateLimitOptions
{
    public int PermitLimit { get; set; } = 60;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
