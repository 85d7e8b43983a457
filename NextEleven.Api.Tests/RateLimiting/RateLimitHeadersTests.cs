using System.Net;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.RateLimiting;

public sealed class RateLimitHeadersTests
{
    private const string Key = NextElevenApiFactory.TestApiKey;

    [Fact]
    public async Task SuccessfulResponseCarriesEveryLimitHeader()
    {
        using var factory = new NextElevenApiFactory();
        factory.Time.Advance(TimeSpan.FromMinutes(20.5));

        using var response = await factory.CreateClient().SendAsync(HttpRequests.Chat("""{"message":"Hello"}""", Key));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var headers = RateLimitHeaders.From(response);
        Assert.Equal(100, headers.Limit);
        Assert.Equal(99, headers.Remaining);
        Assert.Equal("2026-01-14T18:00:00.000Z", headers.ResetText);
        Assert.Equal("\"default\";q=100;w=3600", headers.Policy);
        Assert.Equal("\"default\";r=99;t=2370", headers.RateLimit);
        Assert.False(response.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task RemainingCountsDownThen429CarriesRetryAfterMatchingTheBody()
    {
        using var factory = new NextElevenApiFactory { Settings = { ["RateLimit:PermitLimit"] = "5" } };
        var client = factory.CreateClient(Key);
        var remaining = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            using var ok = await client.SendAsync(HttpRequests.Chat("""{"message":"Hello"}"""));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            remaining.Add(RateLimitHeaders.From(ok).Remaining);
        }
        factory.Time.Advance(TimeSpan.FromMinutes(39) + TimeSpan.FromMilliseconds(500));

        using var rejected = await client.SendAsync(HttpRequests.Chat("""{"message":"Hello"}"""));

        Assert.Equal([4, 3, 2, 1, 0], remaining);
        var body = await ApiAssert.Error(rejected, HttpStatusCode.TooManyRequests, "Rate limit exceeded",
            "Too many requests. Limit: 5 requests per hour. Try again in 1260 seconds.");
        Assert.Equal(1260, body.GetProperty("retryAfter").GetInt32());
        Assert.Equal("1260", Assert.Single(rejected.Headers.GetValues("Retry-After")));
        var headers = RateLimitHeaders.From(rejected);
        Assert.Equal(0, headers.Remaining);
        Assert.Equal("\"default\";r=0;t=1260", headers.RateLimit);
        Assert.Equal(factory.Time.GetUtcNow().AddSeconds(1259.5), headers.Reset);
    }

    [Fact]
    public async Task BudgetRefillsExactlyAtReset()
    {
        using var factory = new NextElevenApiFactory { Settings = { ["RateLimit:PermitLimit"] = "2" } };
        var client = factory.CreateClient(Key);
        for (var i = 0; i < 2; i++)
        {
            (await client.SendAsync(HttpRequests.Chat("""{"message":"Hello"}"""))).Dispose();
        }
        using var first429 = await client.SendAsync(HttpRequests.Chat("""{"message":"Hello"}"""));
        var reset = RateLimitHeaders.From(first429).Reset;

        factory.Time.SetUtcNow(reset.AddMilliseconds(-1));
        using var justBefore = await client.SendAsync(HttpRequests.Chat("""{"message":"Hello"}"""));
        factory.Time.SetUtcNow(reset);
        using var atReset = await client.SendAsync(HttpRequests.Chat("""{"message":"Hello"}"""));

        Assert.Equal(HttpStatusCode.TooManyRequests, first429.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, justBefore.StatusCode);
        Assert.Equal("1", Assert.Single(justBefore.Headers.GetValues("Retry-After")));
        Assert.Equal(HttpStatusCode.OK, atReset.StatusCode);
        var refilled = RateLimitHeaders.From(atReset);
        Assert.Equal(1, refilled.Remaining);
        Assert.Equal(reset.AddHours(1), refilled.Reset);
    }

    [Theory]
    [InlineData("00:15:00", "per 15 minutes")]
    [InlineData("00:00:30", "per 30 seconds")]
    [InlineData("00:01:00", "per minute")]
    [InlineData("02:00:00", "per 2 hours")]
    [InlineData("1.00:00:00", "per day")]
    public async Task RejectionNamesTheWindowInWords(string window, string words)
    {
        using var factory = new NextElevenApiFactory
        {
            Settings = { ["RateLimit:PermitLimit"] = "1", ["RateLimit:Window"] = window },
        };
        var client = factory.CreateClient(Key);
        (await client.SendAsync(HttpRequests.Chat("""{"message":"Hello"}"""))).Dispose();

        using var rejected = await client.SendAsync(HttpRequests.Chat("""{"message":"Hello"}"""));

        var body = await ApiAssert.Error(rejected, HttpStatusCode.TooManyRequests, "Rate limit exceeded");
        Assert.Contains($"Limit: 1 requests {words}.", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal($"\"default\";q=1;w={(long)TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture).TotalSeconds}",
            RateLimitHeaders.From(rejected).Policy);
    }

    [Theory]
    [InlineData("GET", "/api/nope", HttpStatusCode.NotFound)]
    [InlineData("GET", "/api/chat", HttpStatusCode.MethodNotAllowed)]
    public async Task ErrorResponsesWithAKeyCarryTheHeadersToo(string method, string path, HttpStatusCode status)
    {
        using var factory = new NextElevenApiFactory();

        using var response = await factory.CreateClient(Key).SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(99, RateLimitHeaders.From(response).Remaining);
    }

    [Fact]
    public async Task ServerErrorsCarryTheHeadersToo()
    {
        using var factory = new NextElevenApiFactory
        {
            ConfigureServices = services => services.AddChatClient(new FailingChatClient()),
        };

        using var response = await factory.CreateClient(Key).SendAsync(HttpRequests.Chat("""{"message":"Hello"}"""));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(99, RateLimitHeaders.From(response).Remaining);
        ApiAssert.RequestId(response);
    }

    [Fact]
    public async Task BadRequestsSpendTheBudgetToo()
    {
        using var factory = new NextElevenApiFactory { Settings = { ["RateLimit:PermitLimit"] = "1" } };
        var client = factory.CreateClient(Key);

        using var bad = await client.SendAsync(HttpRequests.Chat("""{"message":5}"""));
        using var good = await client.SendAsync(HttpRequests.Chat("""{"message":"Hello"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(0, RateLimitHeaders.From(bad).Remaining);
        Assert.Equal(HttpStatusCode.TooManyRequests, good.StatusCode);
    }
}
