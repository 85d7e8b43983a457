using System.Net;
using NextEleven.Api.Tests.Infrastructure;
using NextEleven.Api.Tests.Security;

namespace NextEleven.Api.Tests.Chat;

public sealed class ChatEndpointTests(ProductionApi api) : IClassFixture<ProductionApi>
{
    private const string Key = NextElevenApiFactory.TestApiKey;

    [Fact]
    public async Task OfflineResponderAnswersAndSaysWhatItIs()
    {
        using var response = await api.Factory.CreateClient().SendAsync(HttpRequests.Chat("""{"message":"Hello"}""", Key));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await ApiAssert.Json(response);
        var reply = body.GetProperty("reply").GetString()!;
        Assert.Contains("offline responder", reply, StringComparison.Ordinal);
        Assert.EndsWith("You said: Hello", reply, StringComparison.Ordinal);
        Assert.Equal("echo", body.GetProperty("provider").GetString());
        Assert.Equal("nexteleven-offline-echo", body.GetProperty("model").GetString());
        Assert.Equal("stop", body.GetProperty("finishReason").GetString());
        Assert.Equal(ApiAssert.RequestId(response), body.GetProperty("requestId").GetString());
        var usage = body.GetProperty("usage");
        var input = usage.GetProperty("inputTokens").GetInt64();
        var output = usage.GetProperty("outputTokens").GetInt64();
        Assert.True(input > 0 && output > 0);
        Assert.Equal(input + output, usage.GetProperty("totalTokens").GetInt64());
    }

    [Fact]
    public async Task ReplyIsDeterministic()
    {
        var client = api.Factory.CreateClient();

        using var first = await client.SendAsync(HttpRequests.Chat("""{"message":"Same question"}""", Key));
        using var second = await client.SendAsync(HttpRequests.Chat("""{"message":"Same question"}""", Key));

        var a = await ApiAssert.Json(first);
        var b = await ApiAssert.Json(second);
        Assert.Equal(a.GetProperty("reply").GetString(), b.GetProperty("reply").GetString());
        Assert.Equal(a.GetProperty("usage").ToString(), b.GetProperty("usage").ToString());
        Assert.NotEqual(a.GetProperty("requestId").GetString(), b.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task HistoryCountsTowardsInputTokens()
    {
        var client = api.Factory.CreateClient();

        using var alone = await client.SendAsync(HttpRequests.Chat("""{"message":"Hello"}""", Key));
        using var withHistory = await client.SendAsync(HttpRequests.Chat(
            """{"message":"Hello","history":[{"role":"user","content":"An earlier question"},{"role":"assistant","content":"An earlier answer"}]}""",
            Key));

        Assert.Equal(HttpStatusCode.OK, withHistory.StatusCode);
        var aloneInput = (await ApiAssert.Json(alone)).GetProperty("usage").GetProperty("inputTokens").GetInt64();
        var historyInput = (await ApiAssert.Json(withHistory)).GetProperty("usage").GetProperty("inputTokens").GetInt64();
        Assert.True(historyInput > aloneInput, $"{historyInput} should exceed {aloneInput}");
    }

    [Fact]
    public async Task RepliesKeepApostrophesAndUnicodeReadable()
    {
        using var response = await api.Factory.CreateClient().SendAsync(HttpRequests.Chat("""{"message":"don't — ünïcode ✓"}""", Key));

        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("don't — ünïcode ✓", text, StringComparison.Ordinal);
    }
}
