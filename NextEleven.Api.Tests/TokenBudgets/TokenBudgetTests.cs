using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NextEleven.Api.RateLimiting;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.TokenBudgets;

/// <summary>
/// Token budgets on the offline responder, through HTTP, on the in-memory store and on a real
/// Redis-protocol server (see <see cref="TestRedis"/>).
/// </summary>
[Collection(StressTestsRunAlone.Name)]
public sealed class TokenBudgetTests
{
    private const string Key = NextElevenApiFactory.TestApiKey;

    public static TheoryData<string> Stores => new() { "memory", "redis" };

    private static NextElevenApiFactory WithBudget(string store, long tokens, params (string Key, string Value)[] settings)
    {
        var factory = new NextElevenApiFactory
        {
            UseSystemClock = store == "redis",
            Settings =
            {
                ["RateLimit:Tokens:PermitLimit"] = $"{tokens}",
                ["RateLimit:PermitLimit"] = "1000",
            },
        };
        if (store == "redis")
        {
            factory.Settings["ConnectionStrings:Redis"] = TestRedis.ConnectionString;
            factory.Settings["RateLimit:Redis:KeyPrefix"] = TestRedis.UniquePrefix();
        }
        foreach (var (key, value) in settings)
        {
            factory.Settings[key] = value;
        }
        return factory;
    }

    private static async Task<(HttpResponseMessage Response, JsonElement Body)> Chat(HttpClient client, string json, string path = "/api/chat")
    {
        var request = HttpRequests.Chat(json, Key);
        request.RequestUri = new Uri(path, UriKind.Relative);
        var response = await client.SendAsync(request);
        return (response, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static long TotalOf(JsonElement body) => body.TryGetProperty("usage", out var usage)
        ? usage.GetProperty(usage.TryGetProperty("totalTokens", out _) ? "totalTokens" : "total_tokens").GetInt64()
        : throw new InvalidOperationException("no usage in " + body);

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task EachReplyLowersTheBudgetByExactlyTheUsageReportedOnBothSurfaces(string store)
    {
        using var factory = WithBudget(store, tokens: 10_000);
        var client = factory.CreateClient(Key);

        var (first, firstBody) = await Chat(client, """{"message":"Hello there"}""");
        var (second, secondBody) = await Chat(client, """{"messages":[{"role":"user","content":"And again, a little longer"}]}""",
            "/api/v1/chat/completions");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var before = TokenHeaders.From(first);
        var after = TokenHeaders.From(second);
        Assert.Equal(10_000, before.Limit);
        Assert.Equal(10_000 - TotalOf(firstBody), before.Remaining);
        Assert.Equal(before.Remaining - TotalOf(secondBody), after.Remaining);
        Assert.True(TotalOf(secondBody) > TotalOf(firstBody));
        Assert.Equal("\"default\";q=1000;w=3600, \"tokens\";q=10000;w=86400", after.Policy);
        Assert.Matches($"^\"default\";r=998;t=\\d+, \"tokens\";r={after.Remaining};t=\\d+$", after.RateLimit);
        // A day's window: the budget refills at the next midnight UTC.
        Assert.Equal(TimeSpan.Zero, after.Reset.TimeOfDay);
        var now = store == "redis" ? DateTimeOffset.UtcNow : factory.Time.GetUtcNow();
        Assert.InRange(after.Reset - now, TimeSpan.Zero, TimeSpan.FromDays(1));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task AStreamTellsItsReservationAndIsSettledToItsReportedUsage(string store)
    {
        using var factory = WithBudget(store, tokens: 100_000);
        var client = factory.CreateClient(Key);

        using var stream = await client.SendAsync(HttpRequests.Chat("""{"message":"Stream this","stream":true,"maxTokens":100}""", Key));
        var done = ServerSentEvents.Parse((await ServerSentEvents.ReadDataAsync(stream))[^2]);
        var (next, nextBody) = await Chat(client, """{"message":"Then this"}""");

        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        // While it runs, the stream holds its input estimate (UTF-8 bytes + 8 per message + 8) plus its output cap.
        Assert.Equal(100_000 - (11 + 8 + 8 + 100), TokenHeaders.From(stream).Remaining);
        Assert.Equal("done", done.GetProperty("type").GetString());
        Assert.Equal(100_000 - TotalOf(done) - TotalOf(nextBody), TokenHeaders.From(next).Remaining);
    }

    [Theory]
    [InlineData("/api/chat", """{"message":"Hello","stream":STREAM}""")]
    [InlineData("/api/v1/chat/completions", """{"messages":[{"role":"user","content":"Hello"}],"stream":STREAM}""")]
    public async Task AnExhaustedBudgetAnswersTheContracts429OnBothSurfacesStreamingOrNot(string path, string template)
    {
        using var factory = WithBudget("memory", tokens: 60);
        var client = factory.CreateClient(Key);
        foreach (var stream in new[] { "false", "true" })
        {
            HttpResponseMessage response;
            JsonElement body;
            do
            {
                (response, body) = await Chat(client, template.Replace("STREAM", stream), path);
            }
            while (response.StatusCode == HttpStatusCode.OK);

            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            var seconds = (int)Math.Ceiling((TokenHeaders.From(response).Reset - factory.Time.GetUtcNow()).TotalSeconds);
            // The OpenAI-compatible surface answers in OpenAI's shape, the other in the contract's flat one.
            var openAi = path.StartsWith("/api/v1/", StringComparison.Ordinal);
            var detail = openAi ? body.GetProperty("error") : body;
            if (openAi)
            {
                Assert.Equal("rate_limit_exceeded", detail.GetProperty("code").GetString());
                Assert.Equal("rate_limit_error", detail.GetProperty("type").GetString());
            }
            else
            {
                Assert.Equal("Rate limit exceeded", body.GetProperty("error").GetString());
            }
            Assert.Equal($"Token budget exhausted. Limit: 60 tokens per day. Try again in {seconds} seconds.",
                detail.GetProperty("message").GetString());
            Assert.Equal(seconds, body.GetProperty("retryAfter").GetInt32());
            Assert.Equal($"{seconds}", Assert.Single(response.Headers.GetValues("Retry-After")));
            Assert.Equal(response.Headers.GetValues("X-Request-Id").Single(), body.GetProperty("requestId").GetString());
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            // The request itself was admitted by the request limit and is counted there.
            Assert.NotEqual("0", response.Headers.GetValues("X-RateLimit-Remaining").Single());
        }
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task FiftyConcurrentCallsNeverSpendMoreThanTheBudget(string store)
    {
        const long budget = 600;
        using var factory = WithBudget(store, budget);
        var client = factory.CreateClient(Key);

        var calls = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Chat(client, """{"message":"Hello","maxTokens":30}""")));
        var (last, lastBody) = await Chat(client, """{"message":"Hello","maxTokens":30}""");

        var admitted = calls.Where(call => call.Response.StatusCode == HttpStatusCode.OK).ToList();
        var spent = admitted.Sum(call => TotalOf(call.Body));
        Assert.NotEmpty(admitted);
        Assert.Contains(calls, call => call.Response.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.All(calls, call => Assert.Contains(call.Response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        // The responder reports no more than the estimate and the cap, so the bound is exact: never over.
        Assert.InRange(spent, 1, budget);
        var remaining = TokenHeaders.From(last).Remaining;
        Assert.Equal(budget - spent - (last.StatusCode == HttpStatusCode.OK ? TotalOf(lastBody) : 0),
            remaining);
        // Every call that was refused could not have fitted beside those in flight: the rest is small.
        Assert.True(remaining < 5 + 8 + 8 + 30 + 1 || last.StatusCode == HttpStatusCode.OK);
    }

    [Fact]
    public async Task TwoInstancesOnOneRedisShareOneBudget()
    {
        using var first = WithBudget("redis", tokens: 5_000);
        using var second = WithBudget("redis", tokens: 5_000, ("RateLimit:Redis:KeyPrefix", first.Settings["RateLimit:Redis:KeyPrefix"]!));
        var clients = new[] { first.CreateClient(Key), second.CreateClient(Key) };

        var calls = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Chat(clients[i % 2], """{"message":"Hello","maxTokens":40}""")));
        var (last, lastBody) = await Chat(clients[1], """{"message":"Hello","maxTokens":40}""");

        var spent = calls.Where(call => call.Response.StatusCode == HttpStatusCode.OK).Sum(call => TotalOf(call.Body));
        Assert.All(calls, call => Assert.Equal(HttpStatusCode.OK, call.Response.StatusCode));
        Assert.Equal(5_000 - spent - TotalOf(lastBody), TokenHeaders.From(last).Remaining);
    }

    [Fact]
    public async Task WithRedisUnreachableTheBudgetIsKeptInMemory()
    {
        using var factory = WithBudget("redis", tokens: 5_000, ("ConnectionStrings:Redis", $"127.0.0.1:{LoopbackPort.Free()},connectTimeout=500"));
        var client = factory.CreateClient(Key);

        var (first, firstBody) = await Chat(client, """{"message":"Hello"}""");
        var (second, secondBody) = await Chat(client, """{"message":"Hello again"}""");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(5_000 - TotalOf(firstBody), TokenHeaders.From(first).Remaining);
        Assert.Equal(5_000 - TotalOf(firstBody) - TotalOf(secondBody), TokenHeaders.From(second).Remaining);
    }

    [Fact]
    public async Task WithoutABudgetNoTokenHeadersAreSentAndNothingIsReserved()
    {
        using var factory = new NextElevenApiFactory();
        var client = factory.CreateClient(Key);

        var (response, _) = await Chat(client, """{"message":"Hello"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(TokenHeaders.IsPresent(response));
        Assert.Equal("\"default\";q=100;w=3600", response.Headers.GetValues("RateLimit-Policy").Single());
    }

    [Fact]
    public async Task ClientsGetTheirOwnBudgetFromTheirLimitsTheirTierOrTheDefault()
    {
        var ownKey = ClientsFiles.NewKey();
        var tierKey = ClientsFiles.NewKey();
        var plainKey = ClientsFiles.NewKey();
        using var factory = new NextElevenApiFactory
        {
            ApiKey = null,
            Settings =
            {
                ["Clients:File"] = "clients.json",
                ["RateLimit:Tokens:PermitLimit"] = "5000",
                ["RateLimit:Tiers:gold:Tokens:PermitLimit"] = "7000",
                ["RateLimit:Tiers:gold:Tokens:Window"] = "01:00:00",
            },
        };
        File.WriteAllText(Path.Combine(factory.ContentRoot, "clients.json"), ClientsFiles.File(
            ClientsFiles.Client("own", [ownKey], new { tier = "gold", limits = new { tokens = new { permitLimit = 900 } } }),
            ClientsFiles.Client("gold-one", [tierKey], new { tier = "gold" }),
            ClientsFiles.Client("plain", [plainKey])));
        var client = factory.CreateClient();

        async Task<string> PolicyOf(string key)
        {
            using var response = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", key));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return TokenHeaders.From(response).Policy;
        }

        // The client's own limit wins over its tier's, and takes the tier's window; the tier over the default.
        Assert.EndsWith("\"tokens\";q=900;w=3600", await PolicyOf(ownKey));
        Assert.EndsWith("\"tokens\";q=7000;w=3600", await PolicyOf(tierKey));
        Assert.EndsWith("\"tokens\";q=5000;w=86400", await PolicyOf(plainKey));
    }

    [Fact]
    public async Task TokensAreCountedByClientModelAndDirection()
    {
        using var factory = WithBudget("memory", tokens: 10_000);
        using var metrics = new MetricRecorder(factory.Services.GetRequiredService<RateLimitMetrics>().Meter);
        var client = factory.CreateClient(Key);

        var (_, body) = await Chat(client, """{"message":"Count me"}""");

        var usage = body.GetProperty("usage");
        Assert.Equal(usage.GetProperty("inputTokens").GetInt64(),
            metrics.Sum("nexteleven.chat.tokens", ("client", "default"), ("model", "nexteleven-offline-echo"), ("direction", "input")));
        Assert.Equal(usage.GetProperty("outputTokens").GetInt64(),
            metrics.Sum("nexteleven.chat.tokens", ("client", "default"), ("model", "nexteleven-offline-echo"), ("direction", "output")));
    }
}
