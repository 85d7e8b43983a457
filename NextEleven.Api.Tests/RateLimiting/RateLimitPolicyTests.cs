using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Tests.RateLimiting;

[Trait("Category", "Unit")]
public sealed class RateLimitPolicyTests
{
    [Fact]
    public void APolicyDescribesItsWindowInWordsAndFormatsResetToTheMillisecond()
    {
        var policy = new RateLimitPolicy("default", 100, TimeSpan.FromMinutes(15));

        Assert.Equal("per 15 minutes", policy.WindowInWords);
        Assert.Equal("\"default\";q=100;w=900", policy.PolicyHeader);
        Assert.Equal("2026-01-14T18:00:00.000Z", policy.FormatReset(new DateTimeOffset(2026, 1, 14, 18, 0, 0, TimeSpan.Zero)));
    }
}
