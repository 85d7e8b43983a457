using System.Diagnostics.Metrics;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Security;

/// <summary>
/// <c>nexteleven.auth.rejections</c>: requests refused for their key, by reason (missing, invalid,
/// expired, ambiguous). A surge of <c>invalid</c> is someone guessing keys.
/// </summary>
internal sealed class ApiKeyMetrics
{
    private readonly Counter<long> _rejections;

    public ApiKeyMetrics(IMeterFactory meterFactory)
    {
        _rejections = meterFactory.Create(RateLimitMetrics.MeterName).CreateCounter<long>("nexteleven.auth.rejections", "{request}",
            "Requests refused with 401, by reason: missing, invalid, expired or ambiguous (the key header sent twice).");
    }

    public void Rejected(ApiKeyOutcome outcome)
    {
        if (_rejections.Enabled)
        {
            _rejections.Add(1, new KeyValuePair<string, object?>("reason", outcome switch
            {
                ApiKeyOutcome.Missing => "missing",
                ApiKeyOutcome.Expired => "expired",
                ApiKeyOutcome.Ambiguous => "ambiguous",
                _ => "invalid",
            }));
        }
    }
}
