using System.Net;
using NextEleven.Api.Providers;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Chat;

/// <summary>Every way the provider can fail, mapped to the contract's upstream errors, with no secret let out.</summary>
public sealed class ProviderErrorsTests : FakeProviderTests
{
    private const string Key = NextElevenApiFactory.TestApiKey;
    private const string XaiWrongKeyBody =
        """{"code":"Client specified an invalid argument","error":"Incorrect API key provided: xa***23. You can obtain an API key from https://console.x.ai."}""";

    public static TheoryData<string, int, string, int, string, string> Faults() => new()
    {
        { "5xx", 500, """{"error":{"message":"The server had an error","type":"server_error"}}""", 502, "Upstream error", "failed (status 500)" },
        { "OpenAI-shaped 401", 401, """{"error":{"message":"Incorrect API key provided: sk-***23","type":"invalid_request_error","code":"invalid_api_key"}}""", 502, "Upstream error", "refused the server's credentials" },
        { "403", 403, """{"error":{"message":"forbidden"}}""", 502, "Upstream error", "refused the server's credentials" },
        { "xAI's flat 400 for a wrong key", 400, XaiWrongKeyBody, 502, "Upstream error", "refused the server's credentials" },
        { "another 400", 400, """{"error":{"message":"This model's maximum context length is 131072 tokens"}}""", 502, "Upstream error", "failed (status 400)" },
        { "429", 429, """{"error":{"message":"Rate limit reached"}}""", 503, "Upstream unavailable", "rate limiting this server" },
        { "malformed body", 200, """{"id": "chatcmpl-1", "choices": [ {"mess""", 502, "Upstream error", "could not be read" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task ProviderFaultsMapToUpstreamErrors(string fault, int upstreamStatus, string upstreamBody, int status,
        string error, string messagePart)
    {
        Provider.Respond = Replies.Error(upstreamStatus, upstreamBody, ("Retry-After", "17"));
        using var factory = FactoryFor();

        using var response = await factory.CreateClient(Key).SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));

        var body = await ApiAssert.Error(response, (HttpStatusCode)status, error);
        var message = body.GetProperty("message").GetString()!;
        Assert.True(message.Contains(messagePart, StringComparison.Ordinal), $"{fault}: '{message}' should say '{messagePart}'");
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("xa***", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-***", text, StringComparison.Ordinal);
        Assert.Equal(99, RateLimitHeaders.From(response).Remaining);
        await factory.Logs.RequestLineAsync(ApiAssert.RequestId(response));
        var logs = factory.Logs.RenderAll();
        Assert.DoesNotContain(ProviderKey, logs, StringComparison.Ordinal);
        Assert.DoesNotContain("***", logs, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task AProviderFaultIsLoggedInOneLineWithoutAStackTrace(string fault, int upstreamStatus, string upstreamBody, int status,
        string error, string messagePart)
    {
        _ = (status, error, messagePart);
        Provider.Respond = Replies.Error(upstreamStatus, upstreamBody);
        using var factory = FactoryFor(("Chat:MaxRetries", "0"));

        foreach (var request in new[] { """{"message":"Hi"}""", """{"message":"Hi","stream":true}""" })
        {
            using var response = await factory.CreateClient(Key).SendAsync(HttpRequests.Chat(request));
            await factory.Logs.RequestLineAsync(ApiAssert.RequestId(response));
        }

        var besidesRequestLines = factory.Logs.Events
            .Where(e => e.Level >= Serilog.Events.LogEventLevel.Warning)
            .Where(e => e.Properties["SourceContext"].ToString() != "\"Serilog.AspNetCore.RequestLoggingMiddleware\"")
            .ToList();
        Assert.True(besidesRequestLines.Count == 2, $"{fault}: {besidesRequestLines.Count} lines for two failed calls:\n{factory.Logs.RenderAll()}");
        Assert.All(besidesRequestLines, e => Assert.Null(e.Exception));
    }

    [Fact]
    public async Task AProviderRateLimitPassesOnItsRetryAfterWithoutRetrying()
    {
        Provider.Respond = Replies.Error(429, """{"error":{"message":"Rate limit reached"}}""", ("Retry-After", "17"));
        using var factory = FactoryFor();

        using var response = await factory.CreateClient(Key).SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));

        var body = await ApiAssert.Error(response, HttpStatusCode.ServiceUnavailable, "Upstream unavailable");
        Assert.Equal("17", Assert.Single(response.Headers.GetValues("Retry-After")));
        Assert.Equal(17, body.GetProperty("retryAfter").GetInt32());
        Assert.Single(Provider.Requests);
    }

    [Fact]
    public async Task ATransientFailureIsRetriedAndTheRetryAnswers()
    {
        Provider.Respond = Replies.Sequence(
            Replies.Error(503, """{"error":{"message":"overloaded"}}"""),
            Replies.Json("Second time lucky"));
        using var factory = FactoryFor();

        using var response = await factory.CreateClient(Key).SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Second time lucky", (await ApiAssert.Json(response)).GetProperty("reply").GetString());
        Assert.Equal(2, Provider.Requests.Count);
    }

    [Fact]
    public async Task RetriesAreBounded()
    {
        Provider.Respond = Replies.Error(503, """{"error":{"message":"overloaded"}}""");
        using var factory = FactoryFor(("Chat:MaxRetries", "1"));

        using var response = await factory.CreateClient(Key).SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));

        await ApiAssert.Error(response, HttpStatusCode.BadGateway, "Upstream error");
        Assert.Equal(2, Provider.Requests.Count);
    }

    [Fact]
    public async Task AProviderThatCannotBeReachedIs502()
    {
        using var factory = new NextElevenApiFactory
        {
            Settings =
            {
                ["GROK_API_KEY"] = ProviderKey,
                ["Chat:Endpoint"] = $"http://127.0.0.1:{LoopbackPort.Free()}/v1",
                ["Chat:Model"] = FakeProvider.Model,
                ["Chat:MaxRetries"] = "0",
            },
        };

        using var response = await factory.CreateClient(Key).SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));

        var body = await ApiAssert.Error(response, HttpStatusCode.BadGateway, "Upstream error");
        Assert.Equal("The chat provider could not be reached.", body.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AProviderSlowerThanTheTimeoutIs504(bool stream)
    {
        Provider.Respond = Replies.Slow(TimeSpan.FromMinutes(5), Replies.Json("too late"));
        using var factory = FactoryFor(("Chat:Timeout", "00:00:00.500"), ("Chat:MaxRetries", "0"));

        using var response = await factory.CreateClient(Key).SendAsync(
            HttpRequests.Chat(stream ? """{"message":"Hi","stream":true}""" : """{"message":"Hi"}"""));

        var body = await ApiAssert.Error(response, HttpStatusCode.GatewayTimeout, "Upstream timeout");
        Assert.Equal("The chat provider did not answer within 0.5 seconds.", body.GetProperty("message").GetString());
        // On a loaded machine the deadline can pass before the request is even sent; once sent, it must be dropped.
        if (Provider.RequestArrived.Task.IsCompleted)
        {
            await Provider.UpstreamAborted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task AStreamThatStallsMidwayEndsWithATimeoutEvent()
    {
        Provider.Respond = Replies.Stream(["Hello"], finish: false,
            between: (context, _) => Task.Delay(TimeSpan.FromMinutes(5), context.RequestAborted));
        using var factory = FactoryFor(("Chat:Timeout", "00:00:00.500"));

        using var response = await factory.CreateClient(Key).SendAsync(HttpRequests.Chat("""{"message":"Hi","stream":true}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = await ServerSentEvents.ReadDataAsync(response);
        var last = ServerSentEvents.Parse(data[^1]);
        Assert.Equal("error", last.GetProperty("type").GetString());
        Assert.Equal("Upstream timeout", last.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AProviderFailureBeforeTheStreamStartsIsAPlainJsonError()
    {
        Provider.Respond = Replies.Error(500, """{"error":{"message":"down"}}""");
        using var factory = FactoryFor(("Chat:MaxRetries", "0"));

        using var response = await factory.CreateClient(Key).SendAsync(HttpRequests.Chat("""{"message":"Hi","stream":true}"""));

        await ApiAssert.Error(response, HttpStatusCode.BadGateway, "Upstream error");
    }

    [Fact]
    public void TheSdksOwnNetworkTimeoutStaysATimeoutAndAResetStaysAFailure()
    {
        // The SDK reports its read timeout as a cancellation inside an IOException; a reset connection is a plain IOException.
        var sdkTimeout = new IOException("read timed out", new TaskCanceledException("exceeded the configured timeout", new TimeoutException()));
        var reset = new IOException("Connection reset by peer");

        Assert.Null(NextEleven.Api.Providers.ProviderFailures.Translate(sdkTimeout));
        Assert.Equal(NextEleven.Api.Providers.ProviderErrorKind.Unreachable, NextEleven.Api.Providers.ProviderFailures.Translate(reset)?.Failure);
    }
}
