using System.Diagnostics.Metrics;

namespace NextEleven.Api.RateLimiting;

/// <summary>
/// Counters a dashboard can watch (meter <c>NextEleven.Api</c>): every rate-limit decision by policy and
/// result, overflow use, and the tracked-client gauges.
/// </summary>
public sealed class RateLimitMetrics
{
    public const string MeterName = "NextEleven.Api";

    private readonly Counter<long> _decisions;
    private readonly Counter<long> _overflow;

    public RateLimitMetrics(IMeterFactory meterFactory)
    {
        Meter = meterFactory.Create(MeterName);
        _decisions = Meter.CreateCounter<long>("nexteleven.rate_limit.requests", "{request}",
            "Requests seen by the rate limiter, by policy and result (admitted or rejected).");
        _overflow = Meter.CreateCounter<long>("nexteleven.rate_limit.overflow_requests", "{request}",
            "Requests from anonymous clients beyond the tracked-clients cap, which share one budget.");
    }

    public Meter Meter { get; }

    public void Decided(string policy, bool admitted, bool overflow)
    {
        _decisions.Add(1, new KeyValuePair<string, object?>("policy", policy),
            new KeyValuePair<string, object?>("result", admitted ? "admitted" : "rejected"));
        if (overflow)
        {
            _overflow.Add(1, new KeyValuePair<string, object?>("policy", policy));
        }
    }
}
