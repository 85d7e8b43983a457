using System.Net;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Hardening;

public sealed class ResponseHeadersTests
{
    private const string Key = NextElevenApiFactory.TestApiKey;

    [Theory]
    [InlineData("GET", "/api/system/env-status", null)]
    [InlineData("POST", "/api/chat", Key)]
    [InlineData("GET", "/api/nope", null)]
    [InlineData("GET", "/api/nope", Key)]
    public async Task ApiResponsesAreNeitherSniffedNorCached(string method, string path, string? apiKey)
    {
        using var factory = new NextElevenApiFactory();
        var request = method == "POST" ? HttpRequests.Chat("""{"message":"Hi"}""", apiKey) : new HttpRequestMessage(HttpMethod.Get, path);
        if (method != "POST" && apiKey is not null)
        {
            request.Headers.Add("X-API-Key", apiKey);
        }

        using var response = await factory.CreateClient().SendAsync(request);

        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.True(response.Headers.CacheControl?.NoStore, $"{path}: Cache-Control is {response.Headers.CacheControl}");
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task ARealServerSendsNoServerBanner()
    {
        using var folder = new TempFolder();
        await using var service = ServiceProcess.StartInProduction(folder.Path, new Dictionary<string, string?>
        {
            ["NEXTELEVEN_API_KEY"] = Key,
        });
        using var client = await service.WaitUntilListeningAsync();

        using var response = await client.GetAsync("/api/system/env-status");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Server"), string.Join(",", response.Headers.Select(h => h.Key)));
    }

    [Fact]
    public async Task CorsIsOffByDefault()
    {
        using var factory = new NextElevenApiFactory();
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/chat");
        preflight.Headers.Add("Origin", "https://app.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        var simple = HttpRequests.Chat("""{"message":"Hi"}""", Key);
        simple.Headers.Add("Origin", "https://app.example.com");

        using var preflightResponse = await factory.CreateClient().SendAsync(preflight);
        using var simpleResponse = await factory.CreateClient().SendAsync(simple);

        Assert.Equal(HttpStatusCode.Unauthorized, preflightResponse.StatusCode);
        Assert.False(preflightResponse.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.OK, simpleResponse.StatusCode);
        Assert.False(simpleResponse.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task ConfiguredOriginsGetCorsWithTheLimitHeadersExposed()
    {
        using var factory = new NextElevenApiFactory { Settings = { ["Cors:AllowedOrigins"] = "https://app.example.com, https://admin.example.com/" } };
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/chat");
        preflight.Headers.Add("Origin", "https://app.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "x-api-key, content-type");
        var allowed = HttpRequests.Chat("""{"message":"Hi"}""", Key);
        allowed.Headers.Add("Origin", "https://admin.example.com");
        var other = HttpRequests.Chat("""{"message":"Hi"}""", Key);
        other.Headers.Add("Origin", "https://evil.example.com");

        using var preflightResponse = await factory.CreateClient().SendAsync(preflight);
        using var allowedResponse = await factory.CreateClient().SendAsync(allowed);
        using var otherResponse = await factory.CreateClient().SendAsync(other);

        Assert.Equal(HttpStatusCode.NoContent, preflightResponse.StatusCode);
        Assert.Equal("https://app.example.com", Assert.Single(preflightResponse.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("x-api-key", string.Join(",", preflightResponse.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("https://admin.example.com", Assert.Single(allowedResponse.Headers.GetValues("Access-Control-Allow-Origin")));
        var exposed = string.Join(",", allowedResponse.Headers.GetValues("Access-Control-Expose-Headers"));
        Assert.Contains("X-RateLimit-Remaining", exposed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Retry-After", exposed, StringComparison.OrdinalIgnoreCase);
        Assert.False(otherResponse.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task HeadersOverTheConfiguredLimitGetAJson431()
    {
        using var factory = new NextElevenApiFactory { Settings = { ["Limits:MaxRequestHeadersBytes"] = "2048" } };
        var request = HttpRequests.Chat("""{"message":"Hi"}""", Key);
        request.Headers.Add("X-Padding", new string('a', 3000));

        using var response = await factory.CreateClient().SendAsync(request);

        var body = await ApiAssert.Error(response, HttpStatusCode.RequestHeaderFieldsTooLarge, "Request header fields too large");
        Assert.Equal("Request headers exceed the limit of 2048 bytes.", body.GetProperty("message").GetString());
        // Counted against the address (the key is never read from such headers) and told so, like every /api response.
        var limits = RateLimitHeaders.From(response);
        Assert.Equal(99, limits.Remaining);
        Assert.Equal("\"default\";q=100;w=3600", limits.Policy);
    }

    [Fact]
    public async Task OversizedHeadersFromAnAddressOverItsLimitGetThe429()
    {
        using var factory = new NextElevenApiFactory
        {
            Settings = { ["Limits:MaxRequestHeadersBytes"] = "2048", ["RateLimit:PermitLimit"] = "1" },
        };
        var client = factory.CreateClient();
        HttpRequestMessage Oversized()
        {
            var request = HttpRequests.Chat("""{"message":"Hi"}""");
            request.Headers.Add("X-Padding", new string('a', 3000));
            return request;
        }

        using var first = await client.SendAsync(Oversized());
        using var second = await client.SendAsync(Oversized());

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, first.StatusCode);
        Assert.Equal(0, RateLimitHeaders.From(first).Remaining);
        await ApiAssert.Error(second, HttpStatusCode.TooManyRequests, "Rate limit exceeded");
        Assert.True(second.Headers.RetryAfter is not null);
    }
}
