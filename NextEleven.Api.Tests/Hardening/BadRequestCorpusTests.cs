using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using NextEleven.Api.Chat;
using NextEleven.Api.Providers;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Hardening;

public sealed class BadRequestCorpusTests(BadRequestCorpusTests.CorpusApi api) : IClassFixture<BadRequestCorpusTests.CorpusApi>
{
    public static TheoryData<BadRequestCase> Cases() => [.. BadRequestCorpus.All()];

    [Fact]
    public void TheCorpusHasAtLeastAHundredCases() => Assert.True(BadRequestCorpus.All().Count() >= 100);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EveryBadRequestGetsAClearJsonErrorAndTheServiceStaysHealthy(BadRequestCase badRequest)
    {
        var handlerCallsBefore = api.ChatCalls.Count;

        var context = await api.Factory.Server.SendAsync(http => Build(http, badRequest));

        var response = context.Response;
        var body = await new StreamReader(response.Body).ReadToEndAsync();
        Assert.True(response.StatusCode < 500, $"{badRequest.Name}: {response.StatusCode} {body}");
        Assert.True(badRequest.ExpectedStatus == response.StatusCode, $"{badRequest.Name}: expected {badRequest.ExpectedStatus}, got {response.StatusCode} {body}");
        var requestId = response.Headers["X-Request-Id"].ToString();
        Assert.False(string.IsNullOrEmpty(requestId), $"{badRequest.Name}: no X-Request-Id");
        Assert.Equal("nosniff", response.Headers.XContentTypeOptions.ToString());
        if (response.StatusCode >= 400 && badRequest.Method != "HEAD")
        {
            Assert.StartsWith("application/json", response.ContentType, StringComparison.Ordinal);
            using var json = JsonDocument.Parse(body);
            // The OpenAI-compatible surface answers in OpenAI's shape; everything else in the contract's flat one.
            var openAi = badRequest.RawPath.StartsWith("/api/v1/", StringComparison.OrdinalIgnoreCase);
            var detail = openAi ? json.RootElement.GetProperty("error") : json.RootElement;
            Assert.False(string.IsNullOrWhiteSpace(openAi ? detail.GetProperty("code").GetString() : detail.GetProperty("error").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(detail.GetProperty("message").GetString()));
            Assert.Equal(requestId, json.RootElement.GetProperty("requestId").GetString());
            Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        }
        if (response.StatusCode == 405)
        {
            Assert.False(string.IsNullOrEmpty(response.Headers.Allow.ToString()), $"{badRequest.Name}: 405 without Allow");
        }
        var everything = body + string.Join('\n', response.Headers.Select(h => $"{h.Key}: {h.Value}"));
        Assert.DoesNotContain(NextElevenApiFactory.TestApiKey, everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(BadRequestCorpus.AttemptedKey, everything, StringComparison.Ordinal);
        if (!badRequest.WithKey && response.StatusCode != 200)
        {
            Assert.Equal(handlerCallsBefore, api.ChatCalls.Count);
        }

        using var healthy = await api.Factory.CreateClient(NextElevenApiFactory.TestApiKey)
            .SendAsync(HttpRequests.Chat("""{"message":"still there?"}"""));
        Assert.Equal(System.Net.HttpStatusCode.OK, healthy.StatusCode);
    }

    private static void Build(HttpContext http, BadRequestCase badRequest)
    {
        var request = http.Request;
        request.Method = badRequest.Method;
        var queryStart = badRequest.RawPath.IndexOf('?', StringComparison.Ordinal);
        var rawPath = queryStart < 0 ? badRequest.RawPath : badRequest.RawPath[..queryStart];
        request.Path = DecodeLikeKestrel(rawPath);
        request.QueryString = queryStart < 0 ? QueryString.Empty : new QueryString(badRequest.RawPath[queryStart..]);
        if (badRequest.WithKey)
        {
            request.Headers["X-API-Key"] = NextElevenApiFactory.TestApiKey;
        }
        foreach (var group in (badRequest.Headers ?? []).GroupBy(h => h.Name, StringComparer.OrdinalIgnoreCase))
        {
            request.Headers[group.Key] = group.Select(h => h.Value).ToArray();
        }
        if (badRequest.ContentType is not null)
        {
            request.ContentType = badRequest.ContentType;
        }
        if (badRequest.Body is not null)
        {
            request.Body = new MemoryStream(badRequest.Body);
            request.ContentLength = badRequest.Body.Length;
        }
    }

    /// <summary>Kestrel decodes a request path except for an encoded slash, and the service must be safe either way.</summary>
    private static PathString DecodeLikeKestrel(string rawPath) =>
        new(Uri.UnescapeDataString(rawPath.Replace("%2F", "%252F", StringComparison.OrdinalIgnoreCase)));

    /// <summary>The service as it ships, with limits raised so the corpus is not cut short by 429s, and chat calls counted.</summary>
    public sealed class CorpusApi : IDisposable
    {
        public CorpusApi()
        {
            Factory = new NextElevenApiFactory
            {
                Settings = { ["RateLimit:PermitLimit"] = "1000000" },
                ConfigureServices = services => services.AddChatClient(new CountingChatClient(ChatCalls)),
            };
        }

        public NextElevenApiFactory Factory { get; }

        public System.Collections.Concurrent.ConcurrentBag<string> ChatCalls { get; } = [];

        public void Dispose() => Factory.Dispose();
    }

    /// <summary>The offline responder, counting every call that reaches it.</summary>
    private sealed class CountingChatClient(System.Collections.Concurrent.ConcurrentBag<string> calls) : DelegatingChatClient(new EchoChatClient())
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default)
        {
            calls.Add(messages.Last().Text);
            return base.GetResponseAsync(messages, options, cancellationToken);
        }
    }
}
