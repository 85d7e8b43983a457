using System.Globalization;
using NextEleven.Api.Errors;

namespace NextEleven.Api.RateLimiting;

/// <summary>The one builder of a 429: a spent request limit, token budget or spend budget, with how long until it refills.</summary>
internal static class LimitRejection
{
    public static ApiErrorResult For(RateLimitDecision requests) => TooManyRequests(string.Create(CultureInfo.InvariantCulture,
        $"Too many requests. Limit: {requests.Policy.PermitLimit} requests {requests.Policy.WindowInWords}."), requests.SecondsUntilReset);

    public static ApiErrorResult ForTokens(BudgetBalance tokens) => TooManyRequests(string.Create(CultureInfo.InvariantCulture,
        $"Token budget exhausted. Limit: {tokens.Budget.PermitLimit} tokens {tokens.Budget.WindowInWords}."), tokens.SecondsUntilReset);

    /// <summary>A spent budget of money: its limit in USD (<c>$50.00 per month</c>).</summary>
    public static ApiErrorResult ForSpend(BudgetBalance spend) => TooManyRequests(
        $"Spend budget exhausted. Limit: ${MicroDollars.Format(spend.Budget.PermitLimit)} {spend.Budget.WindowInWords}.", spend.SecondsUntilReset);

    /// <summary>The response metadata of an endpoint that may answer with a 429, for the OpenAPI document.</summary>
    public static ProducesResponseTypeMetadata Metadata { get; } =
        new(StatusCodes.Status429TooManyRequests, typeof(ApiErrorBody), ["application/json"]);

    private static ApiErrorResult TooManyRequests(string limit, int retryAfterSeconds) =>
        new(StatusCodes.Status429TooManyRequests, string.Create(CultureInfo.InvariantCulture,
            $"{limit} Try again in {retryAfterSeconds} seconds."), retryAfter: retryAfterSeconds);
}
