using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NextEleven.Api.Tests.Infrastructure;
using Serilog.Events;

namespace NextEleven.Api.Tests.Budgets;

/// <summary>
/// Spend budgets against a real HTTP server speaking the provider's wire format, on both surfaces: the
/// headers, the worst case reserved and the output cap it leaves, the 429, and how each ending of a call is
/// settled. The provider's replies take 12 input and 5 output tokens: at $3 and $15 per million, 111 µ$.
/// </summary>
public sealed class SpendBudgetTests : FakeProviderTests
{
    private const string Key = NextElevenApiFactory.TestApiKey;

    // "Hi": an estimate of 18 input tokens, at $3 per million 54 µ$; each output token 15 µ$.
    private const long HiInputMicros = 18 * 3;
    private const long CallMicros = 111;

    public static TheoryData<string, string> Surfaces => new()
    {
        { "/api/chat", """{"message":"Hi"STREAM}""" },
        { "/api/v1/chat/completions", """{"messages":[{"role":"user","content":"Hi"}]STREAM}""" },
    };

    private NextElevenApiFactory WithSpend(string limit, params (string Key, string Value)[] more) => FactoryFor(
        [("Chat:Prices:grok-test:Input", "3.00"), ("Chat:Prices:grok-test:Output", "15.00"), ("RateLimit:Spend:Limit", limit),
            ("Chat:MaxRetries", "0"), .. more]);

    private static HttpRequestMessage Request(string path, string template, bool stream)
    {
        var request = HttpRequests.Chat(template.Replace("STREAM", stream ? ""","stream":true""" : ""), Key);
        request.RequestUri = new Uri(path, UriKind.Relative);
        return request;
    }

    /// <summary>Makes one more JSON call and reads, in micro-dollars, what the budget held before it.</summary>
    private async Task<long> RemainingBeforeOneMoreCall(HttpClient client)
    {
        Provider.Respond = Replies.Json("Hello");
        using var response = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", Key));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Micros(SpendHeaders.From(response).Remaining) + CallMicros;
    }

    private static long Micros(decimal usd) => (long)(usd * 1_000_000m);

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task AReplyIsSettledToItsCostAndAStreamShowsItsWorstCaseUntilItEnds(string path, string template)
    {
        using var factory = WithSpend("1");
        var client = factory.CreateClient(Key);
        Provider.Respond = Replies.JsonOrStream("Hello");

        using var json = await client.SendAsync(Request(path, template, stream: false));
        using var stream = await client.SendAsync(Request(path, template, stream: true));
        var events = await ServerSentEvents.ReadDataAsync(stream);

        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        var settled = SpendHeaders.From(json);
        Assert.Equal("1.00", settled.LimitText);
        Assert.Equal("0.999889", settled.RemainingText);
        Assert.Equal("[DONE]", events[^1]);
        // The stream's headers went out with its reservation: the input estimate and the whole output cap (Chat:MaxOutputTokens).
        Assert.Equal(1_000_000 - CallMicros - (HiInputMicros + 32_768 * 15), Micros(SpendHeaders.From(stream).Remaining));
        Assert.Equal(1_000_000 - 2 * CallMicros, await RemainingBeforeOneMoreCall(client));
    }

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task TheOutputCapSentUpstreamIsWhatTheBudgetCanPayAtTheOutputPrice(string path, string template)
    {
        using var factory = WithSpend("0.01");
        var client = factory.CreateClient(Key);
        Provider.Respond = Replies.JsonOrStream("Hello");

        using var first = await client.SendAsync(Request(path, template, stream: false));
        using var second = await client.SendAsync(Request(path, template, stream: true));
        await second.Content.ReadAsStringAsync();

        var sent = Provider.Requests.Select(r => r.Body).ToList();
        Assert.Equal((10_000 - HiInputMicros) / 15, MaxTokensOf(sent[0]));
        Assert.Equal((10_000 - CallMicros - HiInputMicros) / 15, MaxTokensOf(sent[1]));
    }

    [Theory]
    [InlineData(null, "per 30 days")]
    [InlineData("month", "per month")]
    [InlineData("7.00:00:00", "per 7 days")]
    public async Task AnExhaustedBudgetIsA429SayingItsLimitInDollarsAndWhenItRefills(string? window, string inWords)
    {
        using var factory = window is null ? WithSpend("0.0001") : WithSpend("0.0001", ("RateLimit:Spend:Window", window));
        var client = factory.CreateClient(Key);
        Provider.Respond = Replies.Json("Hello");

        // 100 µ$ pays the estimate and 3 output tokens; the reply's 111 µ$ spends it all.
        using var first = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", Key));
        using var second = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", Key));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(3, MaxTokensOf(Assert.Single(Provider.Requests).Body));
        Assert.Equal("0.00", SpendHeaders.From(first).RemainingText);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        var body = await ApiAssert.Json(second);
        var retryAfter = body.GetProperty("retryAfter").GetInt32();
        Assert.Equal("Rate limit exceeded", body.GetProperty("error").GetString());
        Assert.Equal($"Spend budget exhausted. Limit: $0.0001 {inWords}. Try again in {retryAfter} seconds.", body.GetProperty("message").GetString());
        Assert.Equal(retryAfter.ToString(CultureInfo.InvariantCulture), Assert.Single(second.Headers.GetValues("Retry-After")));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("requestId").GetString()));
        var headers = SpendHeaders.From(second);
        Assert.Equal("0.0001", headers.LimitText);
        // The refused call never reached the provider.
        Assert.Single(Provider.Requests);
        if (window == "month")
        {
            // The factory's clock stands at 2026-01-14 17:00 UTC: the budget refills at February's first midnight, not a second before.
            var february = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
            Assert.Equal(february, headers.Reset);
            Assert.Equal((int)(february - factory.Time.GetUtcNow()).TotalSeconds, retryAfter);
            factory.Time.SetUtcNow(february.AddSeconds(-1));
            using var lastSecond = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", Key));
            Assert.Equal(HttpStatusCode.TooManyRequests, lastSecond.StatusCode);
            factory.Time.SetUtcNow(february);
            using var nextMonth = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", Key));
            Assert.Equal(HttpStatusCode.OK, nextMonth.StatusCode);
            Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), SpendHeaders.From(nextMonth).Reset);
        }
    }

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task AFailureBeforeAnyOutputChargesNothing(string path, string template)
    {
        using var factory = WithSpend("1");
        var client = factory.CreateClient(Key);
        Provider.Respond = Replies.Error(500, """{"error":{"message":"boom","type":"server_error"}}""");

        using var json = await client.SendAsync(Request(path, template, stream: false));
        using var stream = await client.SendAsync(Request(path, template, stream: true));

        Assert.Equal(HttpStatusCode.BadGateway, json.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, stream.StatusCode);
        Assert.Equal("1.00", SpendHeaders.From(json).RemainingText);
        Assert.Equal("1.00", SpendHeaders.From(stream).RemainingText);
        Assert.Equal(1_000_000, await RemainingBeforeOneMoreCall(client));
    }

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task AStreamCutAfterItsUsageIsChargedItsCostAndOneCutBeforeKeepsItsWorstCase(string path, string template)
    {
        using var factory = WithSpend("1");
        var client = factory.CreateClient(Key);
        // Text and the usage chunk (20 in, 3 out: 60 + 45 µ$), then the connection closes: no finish reason.
        Provider.Respond = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await Data(context, """{"id":"c","object":"chat.completion.chunk","created":1,"model":"grok-test","choices":[{"index":0,"delta":{"role":"assistant","content":"Hal"},"finish_reason":null}]}""");
            await Data(context, """{"id":"c","object":"chat.completion.chunk","created":1,"model":"grok-test","choices":[],"usage":{"prompt_tokens":20,"completion_tokens":3,"total_tokens":23}}""");
        };
        using (var reported = await client.SendAsync(Request(path, template, stream: true)))
        {
            Assert.Contains("error", (await ServerSentEvents.ReadDataAsync(reported))[^1], StringComparison.Ordinal);
        }
        Assert.Equal(1_000_000 - 105, await RemainingBeforeOneMoreCall(client));

        Provider.Respond = Replies.Stream(["Half a repl"], finish: false);
        using (var unreported = await client.SendAsync(Request(path, template, stream: true)))
        {
            Assert.Contains("error", (await ServerSentEvents.ReadDataAsync(unreported))[^1], StringComparison.Ordinal);
        }
        Assert.Equal(1_000_000 - 105 - CallMicros - (HiInputMicros + 32_768 * 15), await RemainingBeforeOneMoreCall(client));
    }

    [Fact]
    public async Task AClientThatHangsUpMidStreamIsChargedTheUsageTheProviderReportedBeforeIt()
    {
        using var factory = WithSpend("1");
        var client = factory.CreateClient(Key);
        Provider.Respond = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await Data(context, """{"id":"c","object":"chat.completion.chunk","created":1,"model":"grok-test","choices":[{"index":0,"delta":{"role":"assistant","content":"Hal"},"finish_reason":null}],"usage":{"prompt_tokens":20,"completion_tokens":3,"total_tokens":23}}""");
            await Task.Delay(TimeSpan.FromMinutes(5), context.RequestAborted);
        };

        var response = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi","stream":true}""", Key), HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        Assert.True(await stream.ReadAsync(new byte[256]) > 0);
        response.Dispose();
        await Provider.UpstreamAborted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Settled as the call unwinds, just after the upstream call is dropped: what it holds, less the polls themselves.
        long remaining;
        var polls = 0;
        do
        {
            remaining = await RemainingBeforeOneMoreCall(client) + (CallMicros * polls++);
        }
        while (remaining != 1_000_000 - 105 && polls < 50);
        Assert.Equal(1_000_000 - 105, remaining);
    }

    [Fact]
    public async Task TheUsageReportShowsTheSpendBudgetInDollars()
    {
        using var factory = WithSpend("1", ("RateLimit:Spend:Window", "month"));
        var client = factory.CreateClient(Key);
        Provider.Respond = Replies.Json("Hello");
        using (var call = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", Key)))
        {
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        }

        using var report = await client.GetAsync("/api/v1/usage");

        var spend = (await ApiAssert.Json(report)).GetProperty("limits").GetProperty("spend");
        Assert.Equal(1m, spend.GetProperty("limit").GetDecimal());
        Assert.Equal(0.000111m, spend.GetProperty("used").GetDecimal());
        Assert.Equal(0.999889m, spend.GetProperty("remaining").GetDecimal());
        // The factory's clock stands in January 2026.
        Assert.Equal("2026-02-01T00:00:00.000Z", spend.GetProperty("reset").GetString());
    }

    [Fact]
    public async Task CrossingTheAlertThresholdIsOneWarningPerClientAndWindow()
    {
        using var factory = WithSpend("0.0003", ("RateLimit:Spend:AlertAt", "0.5"));
        var client = factory.CreateClient(Key);
        Provider.Respond = Replies.Json("Hello");

        var statuses = new List<HttpStatusCode>();
        for (var call = 0; call < 5; call++)
        {
            using var response = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", Key));
            statuses.Add(response.StatusCode);
        }

        // 111, 222 (past half: the warning), 300 (the third pays what was left), then refused.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        var warning = Assert.Single(factory.Logs.Events, e => e.Level == LogEventLevel.Warning
            && e.RenderMessage(null).Contains("of its spend budget", StringComparison.Ordinal));
        Assert.Equal("default", Assert.IsType<ScalarValue>(warning.Properties["ClientId"]).Value);
    }

    [Fact]
    public async Task TheOfflineResponderCostsNothing()
    {
        using var factory = new NextElevenApiFactory { Settings = { ["RateLimit:Spend:Limit"] = "0.50" } };
        var client = factory.CreateClient(Key);

        using var first = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", Key));
        using var second = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi","stream":true}""", Key));
        await second.Content.ReadAsStringAsync();
        using var third = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", Key));

        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal("0.50", SpendHeaders.From(first).LimitText);
        Assert.Equal("0.50", SpendHeaders.From(third).RemainingText);
    }

    [Fact]
    public async Task ClientsGetTheirSpendBudgetFromTheirLimitsTheirTierOrTheDefault()
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
                ["RateLimit:Spend:Limit"] = "5",
                ["RateLimit:Tiers:gold:Spend:Limit"] = "70",
                ["RateLimit:Tiers:gold:Spend:Window"] = "month",
            },
        };
        var path = Path.Combine(factory.ContentRoot, "clients.json");
        File.WriteAllText(path, ClientsFiles.File(
            ClientsFiles.Client("own", [ownKey], new { tier = "gold", limits = new { spend = new { limit = 0.25m } } }),
            ClientsFiles.Client("gold-one", [tierKey], new { tier = "gold" }),
            ClientsFiles.Client("plain", [plainKey])));
        var client = factory.CreateClient();

        async Task<SpendHeaders> SpendOf(string key)
        {
            using var response = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", key));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return SpendHeaders.From(response);
        }

        // The client's own limit wins over its tier's and takes the tier's window (February's first midnight
        // on the factory's clock); the tier over the default, whose window is 30 days from its aligned start.
        var own = await SpendOf(ownKey);
        Assert.Equal(("0.25", new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero)), (own.LimitText, own.Reset));
        Assert.Equal("70.00", (await SpendOf(tierKey)).LimitText);
        var plain = await SpendOf(plainKey);
        Assert.Equal("5.00", plain.LimitText);
        Assert.Equal(0, plain.Reset.ToUnixTimeMilliseconds() % TimeSpan.FromDays(30).TotalMilliseconds);
    }

    private static int MaxTokensOf(JsonNode body) => (body["max_completion_tokens"] ?? body["max_tokens"])!.GetValue<int>();

    private static async Task Data(HttpContext context, string data)
    {
        await context.Response.WriteAsync($"data: {data}\n\n");
        await context.Response.Body.FlushAsync();
    }
}
