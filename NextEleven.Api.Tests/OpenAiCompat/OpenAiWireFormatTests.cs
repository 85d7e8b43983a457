using System.Net;
using NextEleven.Api.Tests.Chat;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.OpenAiCompat;

/// <summary>The /api/v1 surface's wire format as raw HTTP, for clients that are not the official SDK.</summary>
public sealed class OpenAiWireFormatTests : FakeProviderTests
{
    private const string Key = NextElevenApiFactory.TestApiKey;

    [Fact]
    public async Task ACompletionHasOpenAisShape()
    {
        using var factory = new NextElevenApiFactory();

        using var response = await factory.CreateClient(Key).SendAsync(Completions(
            """{"model":"nexteleven-offline-echo","messages":[{"role":"developer","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Hel"},{"type":"text","text":"lo"}]}],"max_tokens":20}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(99, RateLimitHeaders.From(response).Remaining);
        var body = await ApiAssert.Json(response);
        Assert.StartsWith("chatcmpl-", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.Equal(new DateTimeOffset(2026, 1, 14, 17, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), body.GetProperty("created").GetInt64());
        Assert.Equal("nexteleven-offline-echo", body.GetProperty("model").GetString());
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.EndsWith("You said: Hello", choice.GetProperty("message").GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        var usage = body.GetProperty("usage");
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + usage.GetProperty("completion_tokens").GetInt32(),
            usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task AStreamIsChunksThenTheUsageChunkThenDone()
    {
        Provider.Respond = Replies.Stream(["Hello", " world"]);
        using var factory = FactoryFor();

        using var response = await factory.CreateClient(Key).SendAsync(Completions(
            """{"model":"grok-test","messages":[{"role":"user","content":"Hi"}],"stream":true}"""));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        ApiAssert.RequestId(response);
        Assert.Equal(99, RateLimitHeaders.From(response).Remaining);
        var data = await ServerSentEvents.ReadDataAsync(response);
        Assert.Equal("[DONE]", data[^1]);
        var chunks = data[..^1].Select(ServerSentEvents.Parse).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal("Hello world", string.Concat(chunks
            .Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Where(d => d.TryGetProperty("content", out _))
            .Select(d => d.GetProperty("content").GetString())));
        Assert.Equal("stop", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal(17, chunks[^1].GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Theory]
    [InlineData("""{"model":"grok-test"}""", "Field 'messages' is required and must be a non-empty array.")]
    [InlineData("""{"messages":[]}""", "Field 'messages' is required and must be a non-empty array.")]
    [InlineData("""{"messages":[{"role":"tool","content":"x"}]}""", "Field 'messages[0].role' must be one of 'system', 'developer', 'user' or 'assistant'.")]
    [InlineData("""{"messages":[{"role":"user","content":42}]}""", "Field 'messages[0].content' must be a string or an array of text parts.")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}""", "Field 'messages[0].content' must be a string or an array of text parts.")]
    [InlineData("""{"model":"gpt-expensive","messages":[{"role":"user","content":"x"}]}""", "Field 'model' must be one of: grok-test.")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"max_tokens":0}""", "Field 'max_tokens' must be an integer from 1 to 32768.")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"max_completion_tokens":-1}""", "Field 'max_completion_tokens' must be an integer from 1 to 32768.")]
    [InlineData("""{"messages":"hi"}""", "Field 'messages' must be an array of objects.")]
    public async Task BadRequestsGetTheContractsError(string json, string expected)
    {
        using var factory = FactoryFor();

        using var response = await factory.CreateClient(Key).SendAsync(Completions(json));

        var body = await ApiAssert.Error(response, HttpStatusCode.BadRequest, "Invalid request");
        // OpenAI's shape, so the SDKs show what is wrong; param names the field the message names.
        var error = body.GetProperty("error");
        Assert.Equal(expected, error.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(expected.Split('\'')[1], error.GetProperty("param").GetString());
        Assert.Empty(Provider.Requests);
    }

    [Theory]
    [InlineData("POST", "/api/v1/chat/completions")]
    [InlineData("GET", "/api/v1/models")]
    public async Task TheSurfaceNeedsTheKey(string method, string path)
    {
        using var factory = new NextElevenApiFactory();

        using var response = await factory.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await ApiAssert.Error(response, HttpStatusCode.Unauthorized, "Authentication required");
        Assert.Equal(99, RateLimitHeaders.From(response).Remaining);
    }

    [Fact]
    public async Task ModelsListsTheDefaultModelForTheOfflineResponder()
    {
        using var factory = new NextElevenApiFactory();

        using var response = await factory.CreateClient(Key).GetAsync("/api/v1/models");

        var body = await ApiAssert.Json(response);
        Assert.Equal("list", body.GetProperty("object").GetString());
        var model = Assert.Single(body.GetProperty("data").EnumerateArray());
        Assert.Equal("nexteleven-offline-echo", model.GetProperty("id").GetString());
        Assert.Equal("model", model.GetProperty("object").GetString());
        Assert.Equal("echo", model.GetProperty("owned_by").GetString());
    }

    private static HttpRequestMessage Completions(string json)
    {
        var request = HttpRequests.Chat(json);
        request.RequestUri = new Uri("/api/v1/chat/completions", UriKind.Relative);
        return request;
    }
}
