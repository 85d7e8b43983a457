using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using NextEleven.Api.RateLimiting;
using NextEleven.Api.Tests.Infrastructure;
using Serilog.Events;
using Xunit.Abstractions;

namespace NextEleven.Api.Tests.Chat;

/// <summary>
/// Several providers, one public model routed to two targets: every row of the contract's fallback
/// table, on both surfaces, JSON and streaming, against real loopback providers.
/// </summary>
public sealed class ProviderFallbackTests(ITestOutputHelper output) : RoutedProvidersTests
{
    private const string Key = NextElevenApiFactory.TestApiKey;

    public static TheoryData<string, bool> Surfaces() => new()
    {
        { "chat", false },
        { "chat", true },
        { "v1", false },
        { "v1", true },
    };

    internal static HttpRequestMessage Request(string surface, bool stream)
    {
        if (surface == "chat")
        {
            return HttpRequests.Chat(stream ? """{"message":"Hi","stream":true}""" : """{"message":"Hi"}""", Key);
        }
        var request = HttpRequests.Chat(stream
            ? """{"messages":[{"role":"user","content":"Hi"}],"stream":true}"""
            : """{"messages":[{"role":"user","content":"Hi"}]}""", Key);
        request.RequestUri = new Uri("/api/v1/chat/completions", UriKind.Relative);
        return request;
    }

    internal static Func<HttpContext, Task> Healthy(string text) => Replies.JsonOrStream(text);

    private static async Task<string> TextOf(HttpResponseMessage response, string surface, bool stream)
    {
        if (!stream)
        {
            var json = await ApiAssert.Json(response);
            return surface == "chat" ? json.GetProperty("reply").GetString()! : json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        }
        var events = (await ServerSentEvents.ReadDataAsync(response)).Where(d => d != "[DONE]").Select(ServerSentEvents.Parse).ToList();
        return surface == "chat"
            ? string.Concat(events.Where(e => e.GetProperty("type").GetString() == "delta").Select(e => e.GetProperty("text").GetString()))
            : string.Concat(events.Where(e => e.GetProperty("choices").GetArrayLength() > 0)
                .Select(e => e.GetProperty("choices")[0].GetProperty("delta"))
                .Where(d => d.TryGetProperty("content", out var c) && c.ValueKind == System.Text.Json.JsonValueKind.String)
                .Select(d => d.GetProperty("content").GetString()));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task AHealthyFirstTargetAnswersAndTheResponseNamesIt(string surface, bool stream)
    {
        First.Respond = Healthy("from the first");
        Second.Respond = Healthy("from the second");
        using var factory = Routed();

        using var response = await factory.CreateClient().SendAsync(Request(surface, stream));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FirstTarget, Header(response, "X-NextEleven-Target"));
        Assert.Equal("1", Header(response, "X-NextEleven-Attempts"));
        Assert.Equal("from the first", await TextOf(response, surface, stream));
        var upstream = Assert.Single(First.Requests);
        Assert.Equal("grok-first", upstream.Body["model"]!.GetValue<string>());
        Assert.Equal($"Bearer {FirstProviderKey}", upstream.Authorization);
        Assert.Empty(Second.Requests);
    }

    [Fact]
    public async Task TheReplyNamesTheProviderThatAnswered()
    {
        First.Respond = Replies.Error(500, """{"error":{"message":"boom"}}""");
        Second.Respond = Healthy("from the second");
        using var factory = Routed();
        var client = factory.CreateClient();

        using var json = await client.SendAsync(Request("chat", stream: false));
        using var stream = await client.SendAsync(Request("chat", stream: true));

        Assert.Equal("second", (await ApiAssert.Json(json)).GetProperty("provider").GetString());
        var done = (await ServerSentEvents.ReadDataAsync(stream)).Where(d => d != "[DONE]").Select(ServerSentEvents.Parse)
            .Single(e => e.GetProperty("type").GetString() == "done");
        Assert.Equal("second", done.GetProperty("provider").GetString());
    }

    /// <summary>Each way a target can fail before its first byte that moves the call to the next target.</summary>
    public static TheoryData<string, string, bool> FailuresThatFallBack()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var failure in new[] { "429", "429 with Retry-After", "500", "502", "503", "503 with Retry-After", "504", "529", "401", "403", "timeout" })
        {
            foreach (var (surface, stream) in new[] { ("chat", false), ("chat", true), ("v1", false), ("v1", true) })
            {
                data.Add(failure, surface, stream);
            }
        }
        return data;
    }

    private static Func<HttpContext, Task> Failing(string failure) => failure switch
    {
        "429 with Retry-After" => Replies.Error(429, """{"error":{"message":"slow down","code":"rate_limit_exceeded"}}""", ("Retry-After", "20")),
        "503 with Retry-After" => Replies.Error(503, """{"error":{"message":"overloaded"}}""", ("Retry-After", "20")),
        "timeout" => Replies.Slow(TimeSpan.FromSeconds(10), Replies.Json("too late")),
        _ => Replies.Error(int.Parse(failure, System.Globalization.CultureInfo.InvariantCulture), """{"error":{"message":"failed"}}"""),
    };

    [Theory]
    [MemberData(nameof(FailuresThatFallBack))]
    public async Task AFirstTargetThatFailsBeforeItsFirstByteIsAnsweredForByTheNext(string failure, string surface, bool stream)
    {
        First.Respond = Failing(failure);
        Second.Respond = Healthy("from the second");
        using var factory = failure == "timeout" ? Routed(("Chat:Providers:first:Timeout", "00:00:01")) : Routed();

        using var response = await factory.CreateClient().SendAsync(Request(surface, stream));
        // A call that timed out may be recorded by the provider a moment after the service gave up on it.
        await First.RequestArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SecondTarget, Header(response, "X-NextEleven-Target"));
        Assert.Equal("2", Header(response, "X-NextEleven-Attempts"));
        Assert.Equal("from the second", await TextOf(response, surface, stream));
        Assert.Single(First.Requests);
        Assert.Single(Second.Requests);
    }

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task AnUnreachableFirstTargetIsAnsweredForByTheNext(string surface, bool stream)
    {
        Second.Respond = Healthy("from the second");
        using var factory = Routed(("Chat:Providers:first:Endpoint", $"http://127.0.0.1:{LoopbackPort.Free()}/v1"));

        using var response = await factory.CreateClient().SendAsync(Request(surface, stream));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SecondTarget, Header(response, "X-NextEleven-Target"));
        Assert.Equal("2", Header(response, "X-NextEleven-Attempts"));
        Assert.Equal("from the second", await TextOf(response, surface, stream));
    }

    [Theory]
    [InlineData(400, "chat", false)]
    [InlineData(404, "chat", true)]
    [InlineData(409, "v1", false)]
    [InlineData(413, "v1", true)]
    [InlineData(422, "chat", false)]
    public async Task ARequestTheProviderRefusesAsFaultyIsNotTriedElsewhereAndOpensNothing(int status, string surface, bool stream)
    {
        First.Respond = Replies.Error(status, """{"error":{"message":"your request is wrong"}}""");
        Second.Respond = Healthy("from the second");
        using var factory = Routed(("Chat:Breaker:Failures", "1"));
        var client = factory.CreateClient();

        using var response = await client.SendAsync(Request(surface, stream));

        var body = await ApiAssert.Error(response, HttpStatusCode.BadGateway, "Upstream error");
        Assert.Contains($"status {status}", body.ToString(), StringComparison.Ordinal);
        Assert.Equal(FirstTarget, Header(response, "X-NextEleven-Target"));
        Assert.Equal("1", Header(response, "X-NextEleven-Attempts"));
        Assert.Empty(Second.Requests);
        using var ready = await client.GetAsync("/readyz");
        Assert.Contains($"\"{FirstTarget}\":\"closed\"", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("v1")]
    public async Task AStreamCutAfterItsFirstByteEndsWithTheInBandErrorAndIsNotTriedElsewhere(string surface)
    {
        // The cut comes a moment after the pieces, once they have reached the service: a reset drops
        // whatever the receiving side has not read yet.
        First.Respond = Replies.Stream(["Hello", " wor"], between: async (context, i) =>
        {
            if (i == 1)
            {
                await Task.Delay(300);
                context.Abort();
            }
        });
        Second.Respond = Healthy("from the second");
        using var factory = Routed();

        using var response = await factory.CreateClient().SendAsync(Request(surface, stream: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FirstTarget, Header(response, "X-NextEleven-Target"));
        var events = await ServerSentEvents.ReadDataAsync(response);
        Assert.Contains(events, e => e.Contains("\"error\"", StringComparison.Ordinal));
        Assert.DoesNotContain("[DONE]", events);
        Assert.Empty(Second.Requests);
    }

    [Fact]
    public async Task FailuresInARowOpenTheTargetAndItIsSkippedWithoutACallUntilItsBreakEnds()
    {
        First.Respond = Replies.Error(500, """{"error":{"message":"down"}}""");
        Second.Respond = Healthy("from the second");
        using var factory = Routed(("Chat:Breaker:Failures", "3"), ("Chat:Breaker:Break", "00:00:30"));
        using var metrics = new MetricRecorder(factory.Services.GetRequiredService<RateLimitMetrics>().Meter);
        var client = factory.CreateClient();

        var attempts = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await client.SendAsync(Request("chat", stream: false));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(SecondTarget, Header(response, "X-NextEleven-Target"));
            attempts.Add(Header(response, "X-NextEleven-Attempts"));
        }

        Assert.Equal(["2", "2", "2", "1", "1", "1"], attempts);
        Assert.Equal(3, First.Requests.Count);
        using var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains($"\"{FirstTarget}\":\"open\"", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, metrics.Observe("nexteleven.provider.breaker_open", ("provider", "first"), ("model", "grok-first")));
        Assert.Equal(3, metrics.Sum("nexteleven.provider.attempts", ("provider", "first"), ("outcome", "server_error")));
        Assert.Equal(6, metrics.Sum("nexteleven.provider.attempts", ("provider", "second"), ("outcome", "ok")));
        Assert.Equal(6, metrics.Sum("nexteleven.chat.fallbacks", ("model", "grok-4")));
        Assert.Single(factory.Logs.Events, e => e.MessageTemplate.Text.Contains("its breaker is open", StringComparison.Ordinal));

        // The break ends: one trial goes to the recovered target, which closes it, and traffic returns.
        First.Respond = Healthy("from the first");
        factory.Time.Advance(TimeSpan.FromSeconds(30));
        using var trial = await client.SendAsync(Request("chat", stream: false));
        using var after = await client.SendAsync(Request("chat", stream: false));

        Assert.Equal(FirstTarget, Header(trial, "X-NextEleven-Target"));
        Assert.Equal(FirstTarget, Header(after, "X-NextEleven-Target"));
        Assert.Equal(0, metrics.Observe("nexteleven.provider.breaker_open", ("provider", "first"), ("model", "grok-first")));
    }

    [Fact]
    public async Task ARetryAfterKeepsTheTargetSkippedForThatLong()
    {
        First.Respond = Replies.Sequence(Replies.Error(429, """{"error":{"message":"slow down"}}""", ("Retry-After", "20")), Healthy("from the first"));
        Second.Respond = Healthy("from the second");
        using var factory = Routed(("Chat:Breaker:Break", "00:00:05"));
        var client = factory.CreateClient();

        using var limited = await client.SendAsync(Request("v1", stream: false));
        factory.Time.Advance(TimeSpan.FromSeconds(19));
        using var stillSkipped = await client.SendAsync(Request("v1", stream: false));
        factory.Time.Advance(TimeSpan.FromSeconds(1));
        using var back = await client.SendAsync(Request("v1", stream: false));

        Assert.Equal(SecondTarget, Header(limited, "X-NextEleven-Target"));
        Assert.Equal(SecondTarget, Header(stillSkipped, "X-NextEleven-Target"));
        Assert.Equal("1", Header(stillSkipped, "X-NextEleven-Attempts"));
        Assert.Equal(FirstTarget, Header(back, "X-NextEleven-Target"));
        Assert.Equal(2, First.Requests.Count);
    }

    [Fact]
    public async Task ARetryAfterIsCappedAtTheLongestBreak()
    {
        First.Respond = Replies.Sequence(Replies.Error(429, """{"error":{"message":"slow down"}}""", ("Retry-After", "86400")), Healthy("from the first"));
        Second.Respond = Healthy("from the second");
        using var factory = Routed(("Chat:Breaker:Break", "00:00:05"), ("Chat:Breaker:MaxBreak", "00:01:00"));
        var client = factory.CreateClient();

        (await client.SendAsync(Request("chat", stream: false))).Dispose();
        factory.Time.Advance(TimeSpan.FromMinutes(1));
        using var back = await client.SendAsync(Request("chat", stream: false));

        Assert.Equal(FirstTarget, Header(back, "X-NextEleven-Target"));
    }

    [Fact]
    public async Task ARefusedKeyOpensTheTargetForTheLongestBreakAndIsLoggedAsAnError()
    {
        First.Respond = Replies.Error(401, """{"error":{"message":"Incorrect API key provided: first-pr***","code":"invalid_api_key"}}""");
        Second.Respond = Healthy("from the second");
        using var factory = Routed(("Chat:Breaker:Break", "00:00:05"), ("Chat:Breaker:MaxBreak", "00:10:00"));
        var client = factory.CreateClient();

        using var refused = await client.SendAsync(Request("chat", stream: false));
        factory.Time.Advance(TimeSpan.FromMinutes(9));
        using var stillSkipped = await client.SendAsync(Request("chat", stream: false));

        Assert.Equal(SecondTarget, Header(refused, "X-NextEleven-Target"));
        Assert.Equal(SecondTarget, Header(stillSkipped, "X-NextEleven-Target"));
        Assert.Single(First.Requests);
        var error = Assert.Single(factory.Logs.Events, e => e.Level == LogEventLevel.Error);
        Assert.Contains("refused the server's key", error.RenderMessage(), StringComparison.Ordinal);
        Assert.DoesNotContain(FirstProviderKey, factory.Logs.RenderAll(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EveryTargetOpenIsA503WithWhenToComeBack(bool stream)
    {
        First.Respond = Replies.Error(500, """{"error":{"message":"down"}}""");
        Second.Respond = Replies.Error(502, """{"error":{"message":"down too"}}""");
        using var factory = Routed(("Chat:Breaker:Failures", "1"), ("Chat:Breaker:Break", "00:00:40"));
        var client = factory.CreateClient();

        using var bothFailed = await client.SendAsync(Request("chat", stream));
        factory.Time.Advance(TimeSpan.FromSeconds(10));
        using var bothOpen = await client.SendAsync(Request("chat", stream));

        await ApiAssert.Error(bothFailed, HttpStatusCode.BadGateway, "Upstream error");
        Assert.Equal("2", Header(bothFailed, "X-NextEleven-Attempts"));
        var body = await ApiAssert.Error(bothOpen, HttpStatusCode.ServiceUnavailable, "Upstream unavailable");
        Assert.Equal(TimeSpan.FromSeconds(30), bothOpen.Headers.RetryAfter?.Delta);
        Assert.Equal(30, body.GetProperty("retryAfter").GetInt32());
        Assert.Equal("0", Header(bothOpen, "X-NextEleven-Attempts"));
        Assert.Single(First.Requests);
        Assert.Single(Second.Requests);
    }

    [Fact]
    public async Task WhenABreakEndsWithFiftyRequestsInFlightExactlyOneReachesTheTarget()
    {
        First.Respond = Replies.Error(500, """{"error":{"message":"down"}}""");
        Second.Respond = Healthy("from the second");
        using var factory = Routed(("Chat:Breaker:Failures", "1"), ("Chat:Breaker:Break", "00:00:10"));
        var client = factory.CreateClient();
        (await client.SendAsync(Request("chat", stream: false))).Dispose();
        Assert.Single(First.Requests);

        // The trial is slow, so the other 49 ask while it is in flight.
        First.Respond = Replies.Slow(TimeSpan.FromMilliseconds(500), Healthy("from the first"));
        factory.Time.Advance(TimeSpan.FromSeconds(10));
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            using var response = await client.SendAsync(Request("chat", stream: false));
            return (response.StatusCode, Target: Header(response, "X-NextEleven-Target"));
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        output.WriteLine($"50 requests at the end of a break: {First.Requests.Count - 1} reached the target");
        Assert.Equal(2, First.Requests.Count);
        Assert.Single(responses, r => r.Target == FirstTarget);
        Assert.Equal(49, responses.Count(r => r.Target == SecondTarget));
    }

    [Fact]
    public async Task TokensSettleOnTheTargetThatAnsweredAndAFailedAttemptChargesNothing()
    {
        First.Respond = Replies.Error(500, """{"error":{"message":"down"}}""");
        Second.Respond = Replies.Json("from the second", promptTokens: 30, completionTokens: 12);
        using var factory = Routed(("RateLimit:Tokens:PermitLimit", "10000"));

        using var response = await factory.CreateClient().SendAsync(Request("chat", stream: false));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(10000 - 42, TokenHeaders.From(response).Remaining);
    }

    [Fact]
    public async Task ReadinessAndEnvStatusShowEachTargetsBreakerAndReadinessStaysUp()
    {
        First.Respond = Replies.Error(500, """{"error":{"message":"down"}}""");
        Second.Respond = Healthy("from the second");
        using var factory = Routed(("Chat:Breaker:Failures", "1"));
        var client = factory.CreateClient();
        (await client.SendAsync(Request("chat", stream: false))).Dispose();

        using var ready = await client.GetAsync("/readyz");
        using var status = await factory.CreateClient(Key).GetAsync("/api/system/env-status");
        using var anonymous = await factory.CreateClient().GetAsync("/api/system/env-status");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains($"\"providers\":{{\"{FirstTarget}\":\"open\",\"{SecondTarget}\":\"closed\"}}", await ready.Content.ReadAsStringAsync(),
            StringComparison.Ordinal);
        var chat = (await ApiAssert.Json(status)).GetProperty("chat");
        Assert.Equal("first", chat.GetProperty("provider").GetString());
        var providers = chat.GetProperty("providers").EnumerateArray().ToList();
        Assert.Equal(["first", "second"], providers.Select(p => p.GetProperty("name").GetString()));
        Assert.All(providers, p => Assert.Equal("127.0.0.1", p.GetProperty("endpointHost").GetString()));
        Assert.Equal("open", providers[0].GetProperty("targets").GetProperty(FirstTarget).GetString());
        Assert.DoesNotContain(FirstProviderKey, await status.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False((await ApiAssert.Json(anonymous)).TryGetProperty("chat", out _));
    }

    [Fact]
    public async Task TheModelsListNamesPublicModelsAndTheProviderThatAnswersThemFirst()
    {
        using var factory = Routed(("Chat:Models:fast:Targets:0", "second/grok-mini"));

        using var response = await factory.CreateClient(Key).GetAsync("/api/v1/models");

        var data = (await ApiAssert.Json(response)).GetProperty("data").EnumerateArray()
            .Select(m => (m.GetProperty("id").GetString(), m.GetProperty("owned_by").GetString())).ToList();
        Assert.Equal([("grok-4", "first"), ("fast", "second")], data);
    }
}
