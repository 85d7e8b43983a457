using System.Globalization;

namespace NextEleven.Api.Tests.Infrastructure;

/// <summary>A response's spend-budget headers (contract, Spend), read strictly: USD with two to six decimals.</summary>
public sealed record SpendHeaders(string LimitText, decimal Limit, string RemainingText, decimal Remaining, DateTimeOffset Reset)
{
    public static SpendHeaders From(HttpResponseMessage response)
    {
        var limit = Single(response, "X-RateLimit-Limit-Spend");
        var remaining = Single(response, "X-RateLimit-Remaining-Spend");
        Assert.Matches(@"^\d+\.\d{2,6}$", limit);
        Assert.Matches(@"^\d+\.\d{2,6}$", remaining);
        return new(limit, decimal.Parse(limit, CultureInfo.InvariantCulture), remaining, decimal.Parse(remaining, CultureInfo.InvariantCulture),
            DateTimeOffset.ParseExact(Single(response, "X-RateLimit-Reset-Spend"), "yyyy-MM-dd'T'HH:mm:ss.fff'Z'",
                CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
    }

    public static bool IsPresent(HttpResponseMessage response) => response.Headers.Contains("X-RateLimit-Remaining-Spend");

    private static string Single(HttpResponseMessage response, string name) =>
        Assert.Single(response.Headers.GetValues(name));
}
