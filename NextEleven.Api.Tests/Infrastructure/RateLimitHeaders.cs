using System.Globalization;

namespace NextEleven.Api.Tests.Infrastructure;

/// <summary>The rate-limit headers of one response, parsed.</summary>
public sealed record RateLimitHeaders(int Limit, int Remaining, DateTimeOffset Reset, string ResetText, string Policy, string RateLimit)
{
    public static RateLimitHeaders From(HttpResponseMessage response)
    {
        string One(string name)
        {
            Assert.True(response.Headers.TryGetValues(name, out var values), $"{name} header is missing ({(int)response.StatusCode})");
            return Assert.Single(values);
        }
        var resetText = One("X-RateLimit-Reset");
        return new RateLimitHeaders(
            int.Parse(One("X-RateLimit-Limit"), CultureInfo.InvariantCulture),
            int.Parse(One("X-RateLimit-Remaining"), CultureInfo.InvariantCulture),
            DateTimeOffset.ParseExact(resetText, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            resetText,
            One("RateLimit-Policy"),
            One("RateLimit"));
    }
}
