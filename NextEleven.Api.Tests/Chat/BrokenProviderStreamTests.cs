using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Chat;

/// <summary>
/// A provider stream that never says it has finished is a failure on both surfaces: an in-band error
/// event, never a made-up finish reason, usage or [DONE].
/// </summary>
public sealed class BrokenProviderStreamTests : FakeProviderTests
{
    private const string Key = NextElevenApiFactory.TestApiKey;

    public static TheoryData<string> BrokenMidway() => ["closed early", "an error event inside"];

    [Theory]
    [MemberData(nameof(BrokenMidway))]
    public async Task OnApiChatAStreamThatBreaksMidwayEndsWithAnErrorEventAndNoCompletion(string how)
    {
        Provider.Respond = BreakAfterTwoDeltas(how);
        using var factory = FactoryFor();

        using var response = await factory.CreateClient(Key).SendAsync(HttpRequests.Chat("""{"message":"Hi","stream":true}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = await ServerSentEvents.ReadDataAsync(response);
        Assert.DoesNotContain("[DONE]", data);
        var events = data.Select(ServerSentEvents.Parse).ToList();
        Assert.Equal("Hel", events[0].GetProperty("text").GetString());
        Assert.DoesNotContain(events, e => e.GetProperty("type").GetString() == "done");
        Assert.DoesNotContain(events, e => e.TryGetProperty("finishReason", out var reason) && reason.ValueKind != System.Text.Json.JsonValueKind.Null);
        Assert.Equal("error", events[^1].GetProperty("type").GetString());
        Assert.Equal("Upstream error", events[^1].GetProperty("error").GetString());
        Assert.Contains(factory.Logs.Events, e => e.MessageTemplate.Text.Contains("without a finish reason", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(BrokenMidway))]
    public async Task OnTheOpenAiSurfaceAStreamThatBreaksMidwayEndsWithAnErrorAndNoFinishUsageOrDone(string how)
    {
        Provider.Respond = BreakAfterTwoDeltas(how);
        using var factory = FactoryFor();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = FakeProvider.Model, stream = true, messages = new[] { new { role = "user", content = "Hi" } } }),
        };

        using var response = await factory.CreateClient(Key).SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = await ServerSentEvents.ReadDataAsync(response);
        Assert.DoesNotContain("[DONE]", data);
        var chunks = data.Select(ServerSentEvents.Parse).ToList();
        Assert.True(chunks[^1].TryGetProperty("error", out var error), "the stream does not end with an error object");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        foreach (var chunk in chunks.Where(c => c.TryGetProperty("choices", out _)))
        {
            Assert.False(chunk.TryGetProperty("usage", out var usage) && usage.ValueKind != System.Text.Json.JsonValueKind.Null, "made-up usage");
            Assert.All(chunk.GetProperty("choices").EnumerateArray(), choice =>
                Assert.Equal(System.Text.Json.JsonValueKind.Null, choice.GetProperty("finish_reason").ValueKind));
        }
    }

    [Theory]
    [InlineData("/api/chat")]
    [InlineData("/api/v1/chat/completions")]
    public async Task AStreamRequestAnsweredWithSomethingThatIsNotAStreamIsA502(string path)
    {
        Provider.Respond = Replies.Json("Not a stream at all");
        using var factory = FactoryFor();
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = path == "/api/chat"
                ? JsonContent.Create(new { message = "Hi", stream = true })
                : JsonContent.Create(new { model = FakeProvider.Model, stream = true, messages = new[] { new { role = "user", content = "Hi" } } }),
        };

        using var response = await factory.CreateClient(Key).SendAsync(request);

        await ApiAssert.Error(response, HttpStatusCode.BadGateway, "Upstream error");
    }

    /// <summary>Two text deltas, then either a clean close with no finish chunk and no [DONE], or an error event and [DONE].</summary>
    private static Func<HttpContext, Task> BreakAfterTwoDeltas(string how) => how == "closed early"
        ? Replies.Stream(["Hel", "lo"], finish: false)
        : async context =>
        {
            await Replies.Stream(["Hel", "lo"], finish: false)(context);
            await context.Response.WriteAsync("data: {\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}\n\n");
            await context.Response.WriteAsync("data: [DONE]\n\n");
        };
}
