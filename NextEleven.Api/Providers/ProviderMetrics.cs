using System.Diagnostics.Metrics;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Providers;

/// <summary>
/// Attempts by target and outcome, open breakers, requests that fell back and models with no target
/// left (meter <c>NextEleven.Api</c>): <c>nexteleven_provider_attempts_total</c>,
/// <c>nexteleven_provider_breaker_open</c>, <c>nexteleven_chat_fallbacks_total</c>, <c>nexteleven_chat_model_unavailable</c>.
/// </summary>
internal sealed class ProviderMetrics
{
    private readonly Counter<long> _attempts;
    private readonly Counter<long> _fallbacks;

    public ProviderMetrics(IMeterFactory meterFactory, ChatRoutes routes)
    {
        var meter = meterFactory.Create(RateLimitMetrics.MeterName);
        _attempts = meter.CreateCounter<long>("nexteleven.provider.attempts", "{attempt}",
            "Calls to a provider target, by provider, model and outcome (ok, timeout, unreachable, rate_limited, server_error, credentials_refused, request_error, stream_cut).");
        _fallbacks = meter.CreateCounter<long>("nexteleven.chat.fallbacks", "{request}",
            "Chat requests that went past their model's first target, by public model.");
        meter.CreateObservableGauge("nexteleven.provider.breaker_open",
            () => routes.Targets.Select(target => new Measurement<int>(target.Breaker.State == BreakerState.Closed ? 0 : 1,
                new KeyValuePair<string, object?>("provider", target.Provider), new KeyValuePair<string, object?>("model", target.Model))),
            "{target}", "1 while a target's breaker is open or half-open (skipped, or waiting for its one trial).");
        meter.CreateObservableGauge("nexteleven.chat.model_unavailable",
            () => routes.Models.Select(route => new Measurement<int>(route.Value.All(t => t.Breaker.State == BreakerState.Open) ? 1 : 0,
                new KeyValuePair<string, object?>("model", route.Key))),
            "{model}", "1 while every target of a public model is open: its calls are answered 503 until the first break ends.");
    }

    public void Attempted(ChatTarget target, AttemptOutcome outcome)
    {
        if (_attempts.Enabled)
        {
            _attempts.Add(1, new KeyValuePair<string, object?>("provider", target.Provider),
                new KeyValuePair<string, object?>("model", target.Model), new KeyValuePair<string, object?>("outcome", outcome.Label()));
        }
    }

    public void FellBack(string publicModel)
    {
        if (_fallbacks.Enabled)
        {
            _fallbacks.Add(1, new KeyValuePair<string, object?>("model", publicModel));
        }
    }
}
