using System.Net;
using NextEleven.Api.Tests.Infrastructure;
using Serilog.Events;

namespace NextEleven.Api.Tests.Observability;

public sealed class RequestLoggingTests
{
    private const string AttemptedKey = "attempted-key-that-must-never-be-logged-0123456789";

    [Fact]
    public async Task NeitherTheValidKeyNorAnAttemptedKeyIsEverLogged()
    {
        using var factory = new NextElevenApiFactory();
        var client = factory.CreateClient();
        var requests = new[]
        {
            HttpRequests.Chat("""{"message":"Hello"}""", NextElevenApiFactory.TestApiKey),
            HttpRequests.Chat("""{"message":"Hello"}""", AttemptedKey),
            HttpRequests.Chat("""{"message":5}""", NextElevenApiFactory.TestApiKey),
            new HttpRequestMessage(HttpMethod.Get, "/api/nope") { Headers = { { "Authorization", "Bearer " + AttemptedKey } } },
            new HttpRequestMessage(HttpMethod.Get, "/api/nope") { Headers = { { "X-API-Key", NextElevenApiFactory.TestApiKey } } },
        };
        var ids = new List<string>();
        foreach (var (request, i) in requests.Select((request, i) => (request, i)))
        {
            // Each from its own address: a second rejection of one client in a window is summarised, not logged.
            request.Headers.Add(NextElevenApiFactory.PeerAddressHeader, $"198.51.100.{i + 1}");
            using var response = await client.SendAsync(request);
            ids.Add(ApiAssert.RequestId(response));
        }
        foreach (var id in ids)
        {
            await factory.Logs.RequestLineAsync(id);
        }

        var everything = factory.Logs.RenderAll();
        Assert.DoesNotContain(NextElevenApiFactory.TestApiKey, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(AttemptedKey, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(AttemptedKey[..16], everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachRequestLogsOneStructuredLineWithItsIdsAndTiming()
    {
        using var factory = new NextElevenApiFactory();

        using var response = await factory.CreateClient(NextElevenApiFactory.TestApiKey)
            .SendAsync(HttpRequests.Chat("""{"message":"Hello"}"""));

        var requestId = ApiAssert.RequestId(response);
        var line = await factory.Logs.RequestLineAsync(requestId);
        Assert.Equal(LogEventLevel.Information, line.Level);
        Assert.Equal("\"POST\"", line.Properties["RequestMethod"].ToString());
        Assert.Equal("\"/api/chat\"", line.Properties["RequestPath"].ToString());
        Assert.Equal("200", line.Properties["StatusCode"].ToString());
        Assert.True(line.Properties.ContainsKey("Elapsed"));
        Assert.Matches("^\"key_[0-9a-f]{12}\"$", line.Properties["KeyId"].ToString());
        Assert.Single(factory.Logs.Events, e => e.Properties.TryGetValue("RequestId", out var id)
            && id.ToString() == $"\"{requestId}\"" && e.Properties.ContainsKey("StatusCode"));
    }

    [Fact]
    public async Task RejectedKeysLogAWarningWithAFingerprintNotTheKey()
    {
        using var factory = new NextElevenApiFactory();

        using var response = await factory.CreateClient(AttemptedKey).SendAsync(HttpRequests.Chat("""{"message":"Hello"}"""));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var line = await factory.Logs.RequestLineAsync(ApiAssert.RequestId(response));
        Assert.Equal(LogEventLevel.Warning, line.Level);
        Assert.Matches("^\"invalid_[0-9a-f]{8}\"$", line.Properties["KeyId"].ToString());
        Assert.Null(line.Exception);
    }
}
