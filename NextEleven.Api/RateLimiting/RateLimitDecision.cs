using System.Globalization;

namespace NextEleven.Api.RateLimiting;

/// <summary>What the limiter decided for one request, and the headers that tell the client.</summary>
internal sealed class RateLimitDecision(RateLimitPolicy policy, ClientKey partition, string clientId, PermitTake take)
{
    public RateLimitPolicy Policy { get; } = policy;

    /// <summary>Whose budget it is: the client's, or the address's without a valid key.</summary>
    public ClientKey Partition { get; } = partition;

    /// <summary>The client id the budget belongs to, <c>anonymous</c> for an address: for metrics, never a key or an IP.</summary>
    public string ClientId { get; } = clientId;

    public bool IsAllowed => take.IsTaken;

    public long Remaining => take.Remaining;

    /// <summary>The instant this client's budget refills: the end of the current window.</summary>
    public DateTimeOffset Reset => take.Reset;

    /// <summary>Whole seconds until <see cref="Reset"/>, rounded up and at least 1.</summary>
    public int SecondsUntilReset { get; } = RateLimitPolicy.SecondsUntil(take.Reset, take.Now);

    /// <summary>A chat call's token budget, once it reserved or settled: told in the headers beside the request limit.</summary>
    public TokenBalance? Tokens { get; set; }

    /// <summary>The request limit's headers, and the token budget's beside them when the request has one.</summary>
    public void WriteHeaders(IHeaderDictionary headers)
    {
        var tokens = Tokens;
        var remainingText = Remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Limit"] = Policy.LimitHeader;
        headers["X-RateLimit-Remaining"] = remainingText;
        headers["X-RateLimit-Reset"] = Policy.FormatReset(Reset);
        if (tokens is null)
        {
            headers["RateLimit-Policy"] = Policy.PolicyHeader;
            headers["RateLimit"] = string.Create(CultureInfo.InvariantCulture,
                $"\"{Policy.Name}\";r={remainingText};t={SecondsUntilReset}");
            return;
        }
        var tokensRemainingText = tokens.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Limit-Tokens"] = tokens.Budget.LimitHeader;
        headers["X-RateLimit-Remaining-Tokens"] = tokensRemainingText;
        headers["X-RateLimit-Reset-Tokens"] = tokens.Budget.FormatReset(tokens.Reset);
        headers["RateLimit-Policy"] = string.Concat(Policy.PolicyHeader, ", ", tokens.Budget.PolicyHeader);
        headers["RateLimit"] = string.Create(CultureInfo.InvariantCulture,
            $"\"{Policy.Name}\";r={remainingText};t={SecondsUntilReset}, \"{tokens.Budget.Name}\";r={tokensRemainingText};t={tokens.SecondsUntilReset}");
    }

    public string RejectionMessage() => string.Create(CultureInfo.InvariantCulture,
        $"Too many requests. Limit: {Policy.PermitLimit} requests {Policy.WindowInWords}. Try again in {SecondsUntilReset} seconds.");
}
