using Microsoft.AspNetCore.Http;
using NextEleven.Api.Budgets;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Tests.RateLimiting;

/// <summary>The one writer of the limit headers and the one builder of a 429: no host, no HTTP.</summary>
[Trait("Category", "Unit")]
public sealed class LimitHeadersTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly RateLimitPolicy Hourly = new("default", 100, TimeSpan.FromHours(1));
    private static readonly RateLimitPolicy Tokens = new(TokenBudget.PolicyName, 50_000, TimeSpan.FromDays(1));

    private static RateLimitDecision Decision(bool taken, long remaining) =>
        new(Hourly, LimitPartition.FromClient("acme"), "acme", new PermitResult(taken, remaining, Now.AddMinutes(30), Now));

    private static IHeaderDictionary Written(RateLimitDecision decision, BudgetBalance? tokens = null)
    {
        var context = new DefaultHttpContext();
        var results = LimitResults.Record(context, decision);
        if (tokens is not null)
        {
            results.RecordBudgets(tokens, spend: null);
        }
        LimitHeaders.Write(context.Response.Headers, results);
        return context.Response.Headers;
    }

    [Fact]
    public void TheRequestLimitIsToldInBothTheXHeadersAndTheIetfOnes()
    {
        var headers = Written(Decision(taken: true, remaining: 41));

        Assert.Equal("100", headers["X-RateLimit-Limit"]);
        Assert.Equal("41", headers["X-RateLimit-Remaining"]);
        Assert.Equal("2026-03-02T12:30:00.000Z", headers["X-RateLimit-Reset"]);
        Assert.Equal("\"default\";q=100;w=3600", headers["RateLimit-Policy"]);
        Assert.Equal("\"default\";r=41;t=1800", headers["RateLimit"]);
        Assert.False(headers.ContainsKey("X-RateLimit-Remaining-Tokens"));
    }

    [Fact]
    public void ATokenBudgetIsToldBesideTheRequestLimit()
    {
        var headers = Written(Decision(taken: true, remaining: 41), new BudgetBalance(Tokens, 12_345, Now.AddHours(12), Now));

        Assert.Equal("50000", headers["X-RateLimit-Limit-Tokens"]);
        Assert.Equal("12345", headers["X-RateLimit-Remaining-Tokens"]);
        Assert.Equal("2026-03-03T00:00:00.000Z", headers["X-RateLimit-Reset-Tokens"]);
        Assert.Equal("\"default\";q=100;w=3600, \"tokens\";q=50000;w=86400", headers["RateLimit-Policy"]);
        Assert.Equal("\"default\";r=41;t=1800, \"tokens\";r=12345;t=43200", headers["RateLimit"]);
    }

    [Fact]
    public void EachResultIsRecordedOnce()
    {
        var context = new DefaultHttpContext();
        var results = LimitResults.Record(context, Decision(taken: true, remaining: 1));
        results.RecordBudgets(new BudgetBalance(Tokens, 1, Now.AddHours(1), Now), spend: null);

        Assert.Same(results, context.Features.Get<LimitResults>());
        Assert.Throws<InvalidOperationException>(() => LimitResults.Record(context, Decision(taken: true, remaining: 0)));
        Assert.Throws<InvalidOperationException>(() => results.RecordBudgets(new BudgetBalance(Tokens, 0, Now.AddHours(1), Now), spend: null));
    }

    [Fact]
    public void A429SaysWhichLimitIsSpentAndWhenToComeBack()
    {
        var requests = LimitRejection.For(Decision(taken: false, remaining: 0));
        var tokens = LimitRejection.ForTokens(new BudgetBalance(Tokens, 0, Now.AddSeconds(90.2), Now));

        Assert.Equal(StatusCodes.Status429TooManyRequests, requests.StatusCode);
        Assert.Equal("Too many requests. Limit: 100 requests per hour. Try again in 1800 seconds.", requests.Message);
        Assert.Equal("Token budget exhausted. Limit: 50000 tokens per day. Try again in 91 seconds.", tokens.Message);
    }

    [Theory]
    [InlineData(50_000_000, "50.00")]
    [InlineData(48_765_433, "48.765433")]
    [InlineData(1_234_500, "1.2345")]
    [InlineData(5_000, "0.005")]
    [InlineData(100, "0.0001")]
    [InlineData(1, "0.000001")]
    [InlineData(0, "0.00")]
    [InlineData(1_000_000_000_000_000, "1000000000.00")]
    public void SpendIsWrittenInDollarsWithTwoToSixDecimals(long micros, string usd) => Assert.Equal(usd, MicroDollars.Format(micros));
}
