using System.Diagnostics.Metrics;

namespace NextEleven.Api.RateLimiting;

/// <summary>
/// Counters a dashboard can watch (meter <c>NextEleven.Api</c>): every rate-limit decision by policy and
/// result, overflow use, decisions a shared store left to memory, and the gauges.
/// </summary>
internal sealed class RateLimitMetrics
{
    public const string MeterName = "NextEleven.Api";

    private readonly Counter<long> _decisions;
    private readonly Counter<long> _overflow;
    private readonly Counter<long> _fallback;

    public RateLimitMetrics(IMeterFactory meterFactory)
    {
        Meter = meterFactory.Create(MeterName);
        _decisions = Meter.CreateCounter<long>("nexteleven.rate_limit.requests", "{request}",
            "Requests seen by the rate limiter, by policy, client id (anonymous without a valid key) and result (admitted or rejected).");
        _overflow = Meter.CreateCounter<long>("nexteleven.rate_limit.overflow_requests", "{request}",
            "Requests from anonymous clients beyond the tracked-clients cap, which share one budget.");
        _fallback = Meter.CreateCounter<long>("nexteleven.rate_limit.fallback_decisions", "{request}",
            "Decisions taken from this instance's memory because the shared store did not answer, by policy.");
    }

    public Meter Meter { get; }

    public void Decided(string policy, string clientId, bool admitted)
    {
        if (_decisions.Enabled)
        {
            _decisions.Add(1, new KeyValuePair<string, object?>("policy", policy),
                new KeyValuePair<string, object?>("client", clientId),
                new KeyValuePair<string, object?>("result", admitted ? "admitted" : "rejected"));
        }
    }

    public void Overflowed(string policy) => _overflow.Add(1, new KeyValuePair<string, object?>("policy", policy));

    public void DecidedInFallback(string policy) => _fallback.Add(1, new KeyValuePair<string, object?>("policy", policy));

    /// <summary>Reports which store decides: 1 for the one in use, 0 for the others, labelled <c>store</c>.</summary>
    public void ObserveStore(Func<string> state) =>
        Meter.CreateObservableGauge("nexteleven.rate_limit.store", () =>
        {
            var current = state();
            return new[] { MemoryRateLimitStore.StateName, "redis", "fallback" }.Select(name =>
                new Measurement<int>(name == current ? 1 : 0, new KeyValuePair<string, object?>("store", name)));
        }, "{store}", "The rate-limit store deciding requests: memory, redis, or fallback (memory while Redis is unreachable).");
}
