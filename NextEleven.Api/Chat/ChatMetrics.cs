using System.Diagnostics.Metrics;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Chat;

/// <summary>Tokens the provider reported, by client, model and direction, and what they cost (meter <c>NextEleven.Api</c>).</summary>
internal sealed class ChatMetrics
{
    private readonly Counter<long> _tokens;
    private readonly Counter<double> _cost;

    public ChatMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(RateLimitMetrics.MeterName);
        _tokens = meter.CreateCounter<long>("nexteleven.chat.tokens", "{token}",
            "LLM tokens used as the provider reported them, by client id, model (as the request resolved it) and direction (input or output).");
        // Exported as nexteleven_chat_cost_usd_total: a unit in braces adds no suffix.
        _cost = meter.CreateCounter<double>("nexteleven.chat.cost_usd", "{USD}",
            "What the calls cost in USD at the configured prices, by client id and model (as the request resolved it); calls to unpriced targets add nothing.");
    }

    public void Used(string clientId, string model, long inputTokens, long outputTokens, decimal? cost)
    {
        if (!_tokens.Enabled && !_cost.Enabled)
        {
            return;
        }
        var client = new KeyValuePair<string, object?>("client", clientId);
        var modelTag = new KeyValuePair<string, object?>("model", model);
        _tokens.Add(inputTokens, client, modelTag, new KeyValuePair<string, object?>("direction", "input"));
        _tokens.Add(outputTokens, client, modelTag, new KeyValuePair<string, object?>("direction", "output"));
        if (cost is { } usd)
        {
            _cost.Add((double)usd, client, modelTag);
        }
    }
}
