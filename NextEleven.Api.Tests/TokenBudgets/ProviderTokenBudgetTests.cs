using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using NextEleven.Api.Tests.Chat;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.TokenBudgets;

/// <summary>
/// Token budgets against a real HTTP server speaking the provider's wire format: what is reserved, what
/// the provider is asked for, and how each ending of a call is settled.
/// </summary>
public sealed class ProviderTokenBudgetTests : FakeProviderTests
{
    private const string Key = NextElevenApiFactory.TestApiKey;

    // "Hi" as one user message: 2 UTF-8 bytes, 8 tokens of chat template for the message and 8 for the reply.
    private const long HiEstimate = 2 + 8 + 8;

    private NextElevenApiFactory WithBudget(long tokens) => FactoryFor(
        ("RateLimit:Tokens:PermitLimit", $"{tokens}"), ("Chat:MaxRetries", "0"));

    public static TheoryData<string, string> Surfaces => new()
    {
        { "/api/chat", """{"message":"Hi"STREAM}""" },
        { "/api/v1/chat/completions", """{"messages":[{"role":"user","content":"Hi"}]STREAM}""" },
    };

    private static HttpRequestMessage Request(string path, string template, bool stream)
    {
        var request = HttpRequests.Chat(template.Replace("STREAM", stream ? ""","stream":true""" : ""), Key);
        request.RequestUri = new Uri(path, UriKind.Relative);
        return request;
    }

    /// <summary>Makes one more JSON call and reads what the budget held before it (its reply takes 12 + 5).</summary>
    private static async Task<long> RemainingBeforeOneMoreCall(HttpClient client)
    {
        using var response = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", Key));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return TokenHeaders.From(response).Remaining + 17;
    }

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task TheBudgetFallsByExactlyTheReportedUsageJsonOrStreamed(string path, string template)
    {
        using var factory = WithBudget(100_000);
        var client = factory.CreateClient(Key);
        Provider.Respond = Replies.Sequence(Replies.Json("Hello", promptTokens: 40, completionTokens: 9),
            Replies.Stream(["Hel", "lo"], promptTokens: 31, completionTokens: 7));

        using var json = await client.SendAsync(Request(path, template, stream: false));
        using var stream = await client.SendAsync(Request(path, template, stream: true));
        var events = await ServerSentEvents.ReadDataAsync(stream);

        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.Equal(100_000 - 49, TokenHeaders.From(json).Remaining);
        Assert.Equal("[DONE]", events[^1]);
        // The stream's headers went out with its reservation: the estimate and the whole output cap (Chat:MaxOutputTokens).
        Assert.Equal(100_000 - 49 - (HiEstimate + 32_768), TokenHeaders.From(stream).Remaining);
        Provider.Respond = Replies.Json("Hello");
        Assert.Equal(100_000 - 49 - 38, await RemainingBeforeOneMoreCall(client));
    }

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task TheOutputCapSentUpstreamIsLoweredToWhatTheBudgetHasLeft(string path, string template)
    {
        using var factory = WithBudget(300);
        var client = factory.CreateClient(Key);

        using var first = await client.SendAsync(Request(path, template, stream: false));
        using var second = await client.SendAsync(Request(path, template, stream: true));
        await second.Content.ReadAsStringAsync();

        var sent = Provider.Requests.Select(r => r.Body).ToList();
        Assert.Equal(2, sent.Count);
        Assert.Equal(300 - HiEstimate, MaxTokensOf(sent[0]));
        Assert.Equal(300 - 17 - HiEstimate, MaxTokensOf(sent[1]));
    }

    [Fact]
    public async Task ACapTheClientAsksForIsKeptWhenTheBudgetCoversIt()
    {
        using var factory = WithBudget(100_000);

        using var response = await factory.CreateClient(Key).SendAsync(HttpRequests.Chat("""{"message":"Hi","maxTokens":50}""", Key));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(50, MaxTokensOf(Assert.Single(Provider.Requests).Body));
    }

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task UpstreamStreamsAlwaysAskForUsage(string path, string template)
    {
        using var factory = WithBudget(100_000);
        Provider.Respond = Replies.Stream(["Hi"]);

        using var response = await factory.CreateClient(Key).SendAsync(Request(path, template, stream: true));
        await response.Content.ReadAsStringAsync();

        var body = Assert.Single(Provider.Requests).Body;
        Assert.True(body["stream_options"]!["include_usage"]!.GetValue<bool>());
    }

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task AFailureBeforeAnyOutputGivesTheReservationBack(string path, string template)
    {
        using var factory = WithBudget(100_000);
        var client = factory.CreateClient(Key);
        Provider.Respond = Replies.Error(500, """{"error":{"message":"boom","type":"server_error"}}""");

        using var json = await client.SendAsync(Request(path, template, stream: false));
        using var stream = await client.SendAsync(Request(path, template, stream: true));

        Assert.Equal(HttpStatusCode.BadGateway, json.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, stream.StatusCode);
        Assert.Equal(100_000, TokenHeaders.From(json).Remaining);
        Assert.Equal(100_000, TokenHeaders.From(stream).Remaining);
        Provider.Respond = Replies.Json("Hello");
        Assert.Equal(100_000, await RemainingBeforeOneMoreCall(client));
    }

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task AStreamThatFailsAfterReportingUsageIsSettledToIt(string path, string template)
    {
        using var factory = WithBudget(100_000);
        var client = factory.CreateClient(Key);
        // Text, then the usage chunk, then the connection closes: no finish reason, no [DONE].
        Provider.Respond = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await Data(context, """{"id":"c","object":"chat.completion.chunk","created":1,"model":"grok-test","choices":[{"index":0,"delta":{"role":"assistant","content":"Hal"},"finish_reason":null}]}""");
            await Data(context, """{"id":"c","object":"chat.completion.chunk","created":1,"model":"grok-test","choices":[],"usage":{"prompt_tokens":20,"completion_tokens":3,"total_tokens":23}}""");
        };

        using var stream = await client.SendAsync(Request(path, template, stream: true));
        var events = await ServerSentEvents.ReadDataAsync(stream);

        Assert.Contains("error", events[^1], StringComparison.Ordinal);
        Provider.Respond = Replies.Json("Hello");
        Assert.Equal(100_000 - 23, await RemainingBeforeOneMoreCall(client));
    }

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task AStreamThatFailsWithoutReportingUsageKeepsItsReservation(string path, string template)
    {
        using var factory = WithBudget(100_000);
        var client = factory.CreateClient(Key);
        Provider.Respond = Replies.Stream(["Half a repl"], finish: false);

        using var stream = await client.SendAsync(Request(path, template, stream: true));
        var events = await ServerSentEvents.ReadDataAsync(stream);

        Assert.Contains("error", events[^1], StringComparison.Ordinal);
        Provider.Respond = Replies.Json("Hello");
        Assert.Equal(100_000 - (HiEstimate + 32_768), await RemainingBeforeOneMoreCall(client));
    }

    [Fact]
    public async Task AClientThatHangsUpMidStreamKeepsItsReservationWhenNothingWasReported()
    {
        using var factory = WithBudget(100_000);
        var client = factory.CreateClient(Key);
        Provider.Respond = Replies.Stream(["Hello"], finish: false,
            between: (context, _) => Task.Delay(TimeSpan.FromMinutes(5), context.RequestAborted));

        var response = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi","stream":true,"maxTokens":1000}""", Key),
            HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        Assert.True(await stream.ReadAsync(new byte[256]) > 0);
        response.Dispose();
        await Provider.UpstreamAborted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The stream is settled as its call unwinds, just after the upstream call is dropped.
        Provider.Respond = Replies.Json("Hello");
        var expected = 100_000 - (HiEstimate + 1000);
        // What the budget holds apart from the polls themselves (each takes 17).
        long remaining;
        var polls = 0;
        do
        {
            remaining = await RemainingBeforeOneMoreCall(client) + (17 * polls++);
        }
        while (remaining != expected && polls < 50);
        Assert.Equal(expected, remaining);
    }

    private static int MaxTokensOf(System.Text.Json.Nodes.JsonNode body) =>
        (body["max_completion_tokens"] ?? body["max_tokens"])!.GetValue<int>();

    private static async Task Data(HttpContext context, string data)
    {
        await context.Response.WriteAsync($"data: {data}\n\n");
        await context.Response.Body.FlushAsync();
    }
}
