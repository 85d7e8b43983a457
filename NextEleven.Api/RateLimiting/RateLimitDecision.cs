using System.Globalization;

namespace NextEleven.Api.RateLimiting;

/// <summary>What the limiter decided for one request, and the headers that tell the client.</summary>
public sealed class RateLimitDecision(FixedWindowPolicy policy, bool isAllowed, long remaining, DateTimeOffset reset,
    string resetHeader, DateTimeOffset now)
{
    public FixedWindowPolicy Policy { get; } = policy;

    public bool IsAllowed { get; } = isAllowed;

    public long Remaining { get; } = remaining;

    /// <summary>The instant this client's budget refills: the end of the current window.</summary>
    public DateTimeOffset Reset { get; } = reset;

    /// <summary>Whole seconds until <see cref="Reset"/>, rounded up and at least 1.</summary>
    public int SecondsUntilReset { get; } = Math.Max(1, (int)Math.Ceiling((reset - now).TotalSeconds));

    public void WriteHeaders(IHeaderDictionary headers)
    {
        var remainingText = Remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Limit"] = Policy.LimitHeader;
        headers["X-RateLimit-Remaining"] = remainingText;
        headers["X-RateLimit-Reset"] = resetHeader;
        headers["RateLimit-Policy"] = Policy.PolicyHeader;
        headers["RateLimit"] = string.Create(CultureInfo.InvariantCulture,
            $"\"{Policy.Name}\";r={remainingText};t={SecondsUntilReset}");
    }

    public string RejectionMessage() => string.Create(CultureInfo.InvariantCulture,
        $"Too many requests. Limit: {Policy.PermitLimit} requests {Policy.WindowInWords}. Try again in {SecondsUntilReset} seconds.");
}
