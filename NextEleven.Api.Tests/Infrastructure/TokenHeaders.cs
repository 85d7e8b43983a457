using System.Globalization;

namespace NextEleven.Api.Tests.Infrastructure;

/// <summary>A response's token-budget headers (contract, Token budgets), read strictly.</summary>
public sealed record TokenHeaders(long Limit, long Remaining, DateTimeOffset Reset, string Policy, string RateLimit)
{
    public static TokenHeaders From(HttpResponseMessage response) => new(
        long.Parse(Single(response, "X-RateLimit-Limit-Tokens"), CultureInfo.InvariantCulture),
        long.Parse(Single(response, "X-RateLimit-Remaining-Tokens"), CultureInfo.InvariantCulture),
        DateTimeOffset.ParseExact(Single(response, "X-RateLimit-Reset-Tokens"), "yyyy-MM-dd'T'HH:mm:ss.fff'Z'",
            CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        Single(response, "RateLimit-Policy"),
        Single(response, "RateLimit"));

    public static bool IsPresent(HttpResponseMessage response) => response.Headers.Contains("X-RateLimit-Remaining-Tokens");

    private static string Single(HttpResponseMessage response, string name) =>
        Assert.Single(response.Headers.GetValues(name));
}
