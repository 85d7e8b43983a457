using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using NextEleven.Api.Tests.Infrastructure;
using Serilog.Events;

namespace NextEleven.Api.Tests.Usage;

/// <summary>The cost of a call at the operator's prices, on both surfaces, JSON and streams, on the log line and nowhere without a price.</summary>
public sealed class CostReportingTests : FakeProviderTests
{
    private const string Key = NextElevenApiFactory.TestApiKey;

    public static TheoryData<string, string, bool> SurfacesAndModes()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var (path, template) in new[]
        {
            ("/api/chat", """{"message":"Hi"STREAM}"""),
            ("/api/v1/chat/completions", """{"messages":[{"role":"user","content":"Hi"}]STREAM}"""),
        })
        {
            data.Add(path, template, false);
            data.Add(path, template, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SurfacesAndModes))]
    public async Task UsageCarriesTheCostOfTheTokensTheProviderReportedAtTheModelsPrice(string path, string template, bool stream)
    {
        Provider.Respond = Replies.JsonOrStream("Hello");
        using var factory = FactoryFor(("Chat:Prices:grok-test:Input", "3.00"), ("Chat:Prices:grok-test:Output", "15.00"));

        using var response = await factory.CreateClient().SendAsync(Request(path, template, stream));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // 12 input and 5 output tokens: (12 × 3 + 5 × 15) / 10⁶ = 0.000111
        var usage = await UsageOf(response, path, stream);
        Assert.Equal(0.000111m, usage.GetProperty("cost").GetDecimal());
        var line = await factory.Logs.RequestLineAsync(ApiAssert.RequestId(response));
        Assert.Equal(0.000111m, Assert.IsType<ScalarValue>(line.Properties["CostUsd"]).Value);
    }

    [Fact]
    public async Task APriceForTheTargetWinsOverOneForItsModelAndCachedTokensTakeTheCachedRate()
    {
        Provider.Respond = async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""
                {"id":"x","object":"chat.completion","created":1,"model":"grok-test",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"cached"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":1000,"completion_tokens":100,"total_tokens":1100,"prompt_tokens_details":{"cached_tokens":400}}}
                """);
        };
        using var factory = FactoryFor(
            ("Chat:Prices:grok-test:Input", "100"), ("Chat:Prices:grok-test:Output", "100"),
            ("Chat:Prices:openai-compatible/grok-test:Input", "2.00"), ("Chat:Prices:openai-compatible/grok-test:Output", "8.00"),
            ("Chat:Prices:openai-compatible/grok-test:CachedInput", "0.50"));

        using var response = await factory.CreateClient(Key).SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));

        // (600 × 2 + 400 × 0.5 + 100 × 8) / 10⁶ = (1200 + 200 + 800) / 10⁶ = 0.0022
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ApiAssert.Json(response);
        Assert.Equal(0.0022m, body.GetProperty("usage").GetProperty("cost").GetDecimal());
        Assert.Equal(1000, body.GetProperty("usage").GetProperty("inputTokens").GetInt32());
    }

    [Theory]
    [MemberData(nameof(SurfacesAndModes))]
    public async Task WithoutAPriceThereIsNoCostAndTheTargetIsToldOnce(string path, string template, bool stream)
    {
        Provider.Respond = Replies.JsonOrStream("Hello");
        using var factory = FactoryFor();
        var client = factory.CreateClient();

        using var first = await client.SendAsync(Request(path, template, stream));
        var usage = await UsageOf(first, path, stream);
        using var second = await client.SendAsync(Request(path, template, stream));
        await second.Content.ReadAsStringAsync();
        var line = await factory.Logs.RequestLineAsync(ApiAssert.RequestId(first));

        Assert.False(usage.TryGetProperty("cost", out _), usage.ToString());
        Assert.False(line.Properties.ContainsKey("CostUsd"));
        Assert.Single(factory.Logs.Events, e => e.Level == LogEventLevel.Warning
            && e.RenderMessage(null).Contains("has no price", StringComparison.Ordinal));
    }

    private static HttpRequestMessage Request(string path, string template, bool stream)
    {
        var request = HttpRequests.Chat(template.Replace("STREAM", stream ? ""","stream":true""" : ""), Key);
        request.RequestUri = new Uri(path, UriKind.Relative);
        return request;
    }

    /// <summary>The usage object of a reply: the body's, the <c>done</c> event's, or the usage chunk's.</summary>
    internal static async Task<JsonElement> UsageOf(HttpResponseMessage response, string path, bool stream)
    {
        if (!stream)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await ApiAssert.Json(response)).GetProperty("usage");
        }
        var events = (await ServerSentEvents.ReadDataAsync(response)).Where(d => d != "[DONE]").Select(ServerSentEvents.Parse).ToList();
        return path == "/api/chat"
            ? events.Single(e => e.GetProperty("type").GetString() == "done").GetProperty("usage")
            : events.Single(e => e.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object).GetProperty("usage");
    }
}
