using System.Net;
using System.Net.Http.Headers;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Security;

public sealed class ApiKeyAuthenticationTests(ProductionApi api) : IClassFixture<ProductionApi>
{
    private const string Key = NextElevenApiFactory.TestApiKey;
    private const string HelloJson = """{"message":"Hello"}""";

    [Fact]
    public async Task ChatWithoutKeyGets401AuthenticationRequired()
    {
        using var response = await api.Factory.CreateClient().SendAsync(HttpRequests.Chat(HelloJson));

        await ApiAssert.Error(response, HttpStatusCode.Unauthorized, "Authentication required",
            "Provide API key via X-API-Key header or Authorization: Bearer token");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData("X-API-Key", "wrong-key-0000000000000000000000000000000000")]
    [InlineData("Authorization", "Bearer wrong-key-0000000000000000000000000000000000")]
    [InlineData("X-API-Key", Key + "x")]
    [InlineData("X-API-Key", "nxt")]
    public async Task ChatWithWrongKeyGets401InvalidApiKey(string header, string value)
    {
        var request = HttpRequests.Chat(HelloJson);
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await api.Factory.CreateClient().SendAsync(request);

        await ApiAssert.Error(response, HttpStatusCode.Unauthorized, "Invalid API key", "The provided API key is invalid");
    }

    [Theory]
    [InlineData("X-API-Key", Key)]
    [InlineData("X-API-Key", "  " + Key + "  ")]
    [InlineData("Authorization", "Bearer " + Key)]
    [InlineData("Authorization", "bearer " + Key)]
    [InlineData("Authorization", "BEARER   " + Key + " ")]
    public async Task ChatWithValidKeyInEitherHeaderIsAnswered(string header, string value)
    {
        var request = HttpRequests.Chat(HelloJson);
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await api.Factory.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ApiAssert.Json(response);
        Assert.Equal(ApiAssert.RequestId(response), body.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task XApiKeyIsCheckedBeforeBearer()
    {
        var request = HttpRequests.Chat(HelloJson, apiKey: "wrong-key-0000000000000000000000000000000000");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);

        using var response = await api.Factory.CreateClient().SendAsync(request);

        await ApiAssert.Error(response, HttpStatusCode.Unauthorized, "Invalid API key");
    }

    [Fact]
    public async Task BlankXApiKeyFallsBackToBearer()
    {
        var request = HttpRequests.Chat(HelloJson);
        request.Headers.TryAddWithoutValidation("X-API-Key", "   ");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);

        using var response = await api.Factory.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("Basic " + Key)]
    [InlineData("Token " + Key)]
    [InlineData("Bearer")]
    [InlineData("Bearer    ")]
    [InlineData(Key)]
    public async Task AuthorizationWithoutABearerTokenCountsAsNoKey(string authorization)
    {
        var request = HttpRequests.Chat(HelloJson);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await api.Factory.CreateClient().SendAsync(request);

        await ApiAssert.Error(response, HttpStatusCode.Unauthorized, "Authentication required");
    }

    [Fact]
    public async Task DuplicateXApiKeyHeadersNeverPass()
    {
        var request = HttpRequests.Chat(HelloJson);
        request.Headers.TryAddWithoutValidation("X-API-Key", [Key, Key]);

        using var response = await api.Factory.CreateClient().SendAsync(request);

        await ApiAssert.Error(response, HttpStatusCode.Unauthorized, "Invalid API key");
    }

    [Theory]
    [InlineData("GET", "/api/nope")]
    [InlineData("POST", "/api/v2/chat")]
    [InlineData("GET", "/api/chat")]
    [InlineData("DELETE", "/api/chat")]
    [InlineData("GET", "/api/system/env-status-x")]
    [InlineData("GET", "/api/system/env-status/extra")]
    [InlineData("POST", "/api/system/env-status")]
    [InlineData("GET", "/api")]
    public async Task AnyOtherApiPathWithoutKeyGets401(string method, string path)
    {
        using var response = await api.Factory.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await ApiAssert.Error(response, HttpStatusCode.Unauthorized, "Authentication required");
    }

    [Theory]
    [InlineData("/api/nope")]
    [InlineData("/api/v2/chat")]
    [InlineData("/api/system/env-status-x")]
    public async Task UnknownApiPathWithKeyGets404(string path)
    {
        using var response = await api.Factory.CreateClient(Key).GetAsync(path);

        await ApiAssert.Error(response, HttpStatusCode.NotFound, "Not found");
    }

    [Theory]
    [InlineData("GET", "/api/chat", "POST")]
    [InlineData("PUT", "/api/chat", "POST")]
    [InlineData("DELETE", "/api/system/env-status", "GET, HEAD")]
    public async Task WrongMethodWithKeyGets405WithAllow(string method, string path, string allow)
    {
        using var response = await api.Factory.CreateClient(Key).SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await ApiAssert.Error(response, HttpStatusCode.MethodNotAllowed, "Method not allowed");
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
    }
}

/// <summary>One shared service, configured as it ships: Production with a key.</summary>
public sealed class ProductionApi : IDisposable
{
    public NextElevenApiFactory Factory { get; } = new();

    public void Dispose() => Factory.Dispose();
}
