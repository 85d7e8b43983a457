using System.Globalization;

namespace NextEleven.Api.RateLimiting;

/// <summary>The one writer of the limit headers: the request limit's, and the token and spend budgets' beside them when the request has them.</summary>
internal static class LimitHeaders
{
    public static void Write(IHeaderDictionary headers, LimitResults results)
    {
        var decision = results.Requests;
        var policy = decision.Policy;
        var tokens = results.Tokens;
        if (results.Spend is { } spend)
        {
            // Not in the IETF fields: their quota units are whole numbers, and a month is no fixed window.
            headers["X-RateLimit-Limit-Spend"] = MicroDollars.Format(spend.Budget.PermitLimit);
            headers["X-RateLimit-Remaining-Spend"] = MicroDollars.Format(spend.Remaining);
            headers["X-RateLimit-Reset-Spend"] = spend.Budget.FormatReset(spend.Reset);
        }
        var remainingText = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Limit"] = policy.LimitHeader;
        headers["X-RateLimit-Remaining"] = remainingText;
        headers["X-RateLimit-Reset"] = policy.FormatReset(decision.Reset);
        if (tokens is null)
        {
            headers["RateLimit-Policy"] = policy.PolicyHeader;
            headers["RateLimit"] = string.Create(CultureInfo.InvariantCulture,
                $"\"{policy.Name}\";r={remainingText};t={decision.SecondsUntilReset}");
            return;
        }
        var tokensRemainingText = tokens.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Limit-Tokens"] = tokens.Budget.LimitHeader;
        headers["X-RateLimit-Remaining-Tokens"] = tokensRemainingText;
        headers["X-RateLimit-Reset-Tokens"] = tokens.Budget.FormatReset(tokens.Reset);
        headers["RateLimit-Policy"] = string.Concat(policy.PolicyHeader, ", ", tokens.Budget.PolicyHeader);
        headers["RateLimit"] = string.Create(CultureInfo.InvariantCulture,
            $"\"{policy.Name}\";r={remainingText};t={decision.SecondsUntilReset}, \"{tokens.Budget.Name}\";r={tokensRemainingText};t={tokens.SecondsUntilReset}");
    }
}
