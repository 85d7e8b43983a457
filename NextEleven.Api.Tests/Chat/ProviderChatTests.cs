using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NextEleven.Api.Providers;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Chat;

/// <summary>/api/chat against a real HTTP server on loopback speaking the OpenAI wire format.</summary>
public sealed class ProviderChatTests : FakeProviderTests
{
    private const string Key = NextElevenApiFactory.TestApiKey;

    [Fact]
    public async Task ChatAnswersFromTheProviderWithItsUsage()
    {
        using var factory = FactoryFor();

        using var response = await factory.CreateClient(Key).SendAsync(HttpRequests.Chat("""{"message":"Hello"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ApiAssert.Json(response);
        Assert.Equal("Hello from the provider", body.GetProperty("reply").GetString());
        Assert.Equal(FakeProvider.Model, body.GetProperty("model").GetString());
        Assert.Equal("openai-compatible", body.GetProperty("provider").GetString());
        Assert.Equal("stop", body.GetProperty("finishReason").GetString());
        Assert.Equal(12, body.GetProperty("usage").GetProperty("inputTokens").GetInt32());
        Assert.Equal(5, body.GetProperty("usage").GetProperty("outputTokens").GetInt32());
        Assert.Equal(17, body.GetProperty("usage").GetProperty("totalTokens").GetInt32());
        Assert.Equal(ApiAssert.RequestId(response), body.GetProperty("requestId").GetString());
        Assert.Equal(99, RateLimitHeaders.From(response).Remaining);
    }

    [Fact]
    public async Task ProviderCallsAreTracedWithGenAiSpansAndTokenCounts()
    {
        var spans = new System.Collections.Concurrent.ConcurrentBag<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == NextEleven.Api.Providers.ChatRoutes.TelemetrySourceName,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) =>
                System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        Provider.Respond = Replies.Json("traced", promptTokens: 31, completionTokens: 7);
        using var factory = FactoryFor();

        using var response = await factory.CreateClient(Key).SendAsync(HttpRequests.Chat("""{"message":"Hello"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(spans, span => Equals(span.GetTagItem("gen_ai.usage.input_tokens"), 31)
            && Equals(span.GetTagItem("gen_ai.request.model"), FakeProvider.Model));
    }

    [Fact]
    public async Task TheProviderKeyGoesUpstreamAsBearerAndTheClientKeyNever()
    {
        using var factory = FactoryFor();

        using var response = await factory.CreateClient(Key).SendAsync(HttpRequests.Chat("""{"message":"Hello"}"""));

        var upstream = Assert.Single(Provider.Requests);
        Assert.Equal($"Bearer {ProviderKey}", upstream.Authorization);
        Assert.DoesNotContain(upstream.Headers, h => h.Value.Contains(Key, StringComparison.Ordinal));
        Assert.DoesNotContain(Key, upstream.Body.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ProviderKey, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HistorySystemPromptAndSamplingSettingsAreSentInOrder()
    {
        using var factory = FactoryFor(("Chat:SystemPrompt", "You are terse."));

        using var response = await factory.CreateClient(Key).SendAsync(HttpRequests.Chat("""
            {"message":"Third","temperature":0.5,"maxTokens":50,
             "history":[{"role":"user","content":"First"},{"role":"assistant","content":"Second"}]}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = Assert.Single(Provider.Requests).Body;
        var messages = body["messages"]!.AsArray().Select(m => (m!["role"]!.GetValue<string>(), Text(m["content"]!))).ToList();
        Assert.Equal([("system", "You are terse."), ("user", "First"), ("assistant", "Second"), ("user", "Third")], messages);
        Assert.Equal(FakeProvider.Model, body["model"]!.GetValue<string>());
        Assert.Equal(0.5, body["temperature"]!.GetValue<double>(), 3);
        Assert.Equal(50, (body["max_completion_tokens"] ?? body["max_tokens"])!.GetValue<int>());
    }

    [Fact]
    public async Task OnlyModelsTheOperatorAllowsMayBeNamed()
    {
        using var factory = FactoryFor(("Chat:AllowedModels:0", "grok-other"));
        var client = factory.CreateClient(Key);

        using var refused = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi","model":"gpt-expensive"}"""));
        using var allowed = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi","model":"grok-other"}"""));

        var error = await ApiAssert.Error(refused, HttpStatusCode.BadRequest, "Invalid request");
        Assert.Equal("Field 'model' must be one of: grok-test, grok-other.", error.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("grok-other", Assert.Single(Provider.Requests).Body["model"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"message":"Hi","temperature":2.5}""", "Field 'temperature' must be a number from 0 to 2.")]
    [InlineData("""{"message":"Hi","maxTokens":0}""", "Field 'maxTokens' must be an integer from 1 to 32768.")]
    [InlineData("""{"message":"Hi","maxTokens":1.5}""", "Field 'maxTokens' must be an integer.")]
    [InlineData("""{"message":"Hi","stream":"yes"}""", "Field 'stream' must be true or false.")]
    public async Task SamplingSettingsAreValidated(string json, string expected)
    {
        using var factory = FactoryFor();

        using var response = await factory.CreateClient(Key).SendAsync(HttpRequests.Chat(json));

        var error = await ApiAssert.Error(response, HttpStatusCode.BadRequest, "Invalid request");
        Assert.Equal(expected, error.GetProperty("message").GetString());
        Assert.Empty(Provider.Requests);
    }

    [Theory]
    [InlineData(true, null)]
    [InlineData(null, "text/event-stream")]
    public async Task StreamingAnswersServerSentEventsWithUsageThenDone(bool? stream, string? accept)
    {
        Provider.Respond = Replies.Stream(["Hello", " world"]);
        using var factory = FactoryFor();
        var request = HttpRequests.Chat(stream is null ? """{"message":"Hi"}""" : """{"message":"Hi","stream":true}""", Key);
        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        using var response = await factory.CreateClient().SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var requestId = ApiAssert.RequestId(response);
        Assert.Equal(99, RateLimitHeaders.From(response).Remaining);
        var data = await ServerSentEvents.ReadDataAsync(response);
        Assert.Equal("[DONE]", data[^1]);
        var events = data[..^1].Select(ServerSentEvents.Parse).ToList();
        Assert.All(events, e => Assert.Equal(requestId, e.GetProperty("requestId").GetString()));
        Assert.Equal("Hello world", string.Concat(events.Where(e => e.GetProperty("type").GetString() == "delta")
            .Select(e => e.GetProperty("text").GetString())));
        var done = Assert.Single(events, e => e.GetProperty("type").GetString() == "done");
        Assert.Equal("done", events[^1].GetProperty("type").GetString());
        Assert.Equal("stop", done.GetProperty("finishReason").GetString());
        Assert.Equal(17, done.GetProperty("usage").GetProperty("totalTokens").GetInt32());
        Assert.Equal(12, done.GetProperty("usage").GetProperty("inputTokens").GetInt32());
        Assert.Equal("openai-compatible", done.GetProperty("provider").GetString());
        Assert.True(Assert.Single(Provider.Requests).Body["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task StreamFalseWinsOverTheAcceptHeader()
    {
        using var factory = FactoryFor();
        var request = HttpRequests.Chat("""{"message":"Hi","stream":false}""", Key);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));

        using var response = await factory.CreateClient().SendAsync(request);

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AProviderFailureMidStreamArrivesAsAnErrorEventAndTheStreamCloses()
    {
        Provider.Respond = Replies.Stream(["Hello", " wor"], finish: false,
            between: (context, i) => i == 1 ? context.Response.WriteAsync("data: {\"choices\": [oops\n\n") : Task.CompletedTask);
        using var factory = FactoryFor();

        using var response = await factory.CreateClient(Key).SendAsync(HttpRequests.Chat("""{"message":"Hi","stream":true}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = await ServerSentEvents.ReadDataAsync(response);
        Assert.DoesNotContain("[DONE]", data);
        var last = ServerSentEvents.Parse(data[^1]);
        Assert.Equal("error", last.GetProperty("type").GetString());
        Assert.Equal("Upstream error", last.GetProperty("error").GetString());
        Assert.Equal(ApiAssert.RequestId(response), last.GetProperty("requestId").GetString());
        Assert.Equal("Hello", ServerSentEvents.Parse(data[0]).GetProperty("text").GetString());
    }

    [Fact]
    public async Task AClientThatDisconnectsCancelsTheUpstreamCall()
    {
        Provider.Respond = Replies.Stream(["Hello"], finish: false,
            between: (context, _) => Task.Delay(TimeSpan.FromMinutes(5), context.RequestAborted));
        using var factory = FactoryFor(("Chat:Timeout", "00:10:00"));
        var response = await factory.CreateClient(Key).SendAsync(
            HttpRequests.Chat("""{"message":"Hi","stream":true}"""), HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[256];
        Assert.True(await stream.ReadAsync(buffer) > 0);

        response.Dispose();

        await Provider.UpstreamAborted.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static string Text(JsonNode content) =>
        content is JsonValue value ? value.GetValue<string>() : string.Concat(content.AsArray().Select(p => p!["text"]!.GetValue<string>()));
}
