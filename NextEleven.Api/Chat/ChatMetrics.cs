using System.Diagnostics.Metrics;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Chat;

/// <summary>Tokens the provider reported, by client, model and direction (meter <c>NextEleven.Api</c>).</summary>
internal sealed class ChatMetrics
{
    private readonly Counter<long> _tokens;

    public ChatMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(RateLimitMetrics.MeterName);
        _tokens = meter.CreateCounter<long>("nexteleven.chat.tokens", "{token}",
            "LLM tokens used as the provider reported them, by client id, model (as the request resolved it) and direction (input or output).");
    }

    public void Used(string clientId, string model, long inputTokens, long outputTokens)
    {
        if (!_tokens.Enabled)
        {
            return;
        }
        var client = new KeyValuePair<string, object?>("client", clientId);
        var modelTag = new KeyValuePair<string, object?>("model", model);
        _tokens.Add(inputTokens, client, modelTag, new KeyValuePair<string, object?>("direction", "input"));
        _tokens.Add(outputTokens, client, modelTag, new KeyValuePair<string, object?>("direction", "output"));
    }
}
