using System.Globalization;

namespace NextEleven.Api.RateLimiting;

/// <summary>The one writer of the limit headers: the request limit's, and the token and spend budgets' beside them when the request has them.</summary>
internal static class LimitHeaders
{
    private static readonly string[] FractionFormats = ["D0", "D1", "D2", "D3", "D4", "D5", "D6"];

    /// <summary>
    /// Micro-dollars as USD: at least two decimals, at most six (<c>50.00</c>, <c>48.765433</c>). Written
    /// digit by digit: two of these go out with every reply under a spend budget, and a decimal's custom
    /// format string costs more than the rest of the headers together.
    /// </summary>
    public static string FormatUsd(long micros)
    {
        var dollars = micros / 1_000_000;
        var fraction = micros % 1_000_000;
        var decimals = 6;
        while (decimals > 2 && fraction % 10 == 0)
        {
            fraction /= 10;
            decimals--;
        }
        Span<char> text = stackalloc char[32];
        dollars.TryFormat(text, out var length, default, CultureInfo.InvariantCulture);
        text[length++] = '.';
        fraction.TryFormat(text[length..], out var digits, FractionFormats[decimals], CultureInfo.InvariantCulture);
        return new string(text[..(length + digits)]);
    }

    public static void Write(IHeaderDictionary headers, LimitResults results)
    {
        var decision = results.Requests;
        var policy = decision.Policy;
        var tokens = results.Tokens;
        if (results.Spend is { } spend)
        {
            // Not in the IETF fields: their quota units are whole numbers, and a month is no fixed window.
            headers["X-RateLimit-Limit-Spend"] = FormatUsd(spend.Budget.PermitLimit);
            headers["X-RateLimit-Remaining-Spend"] = FormatUsd(spend.Remaining);
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
