using System.Net;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.SystemStatus;

public sealed class EnvStatusTests
{
    [Fact]
    public async Task WithAValidKeyEnvStatusReportsTheEnvironmentWithoutSecrets()
    {
        using var factory = new NextElevenApiFactory();
        var client = factory.CreateClient(NextElevenApiFactory.TestApiKey);
        using var warmUp = await client.GetAsync("/api/system/env-status");
        factory.Time.Advance(TimeSpan.FromSeconds(90));

        using var response = await client.GetAsync("/api/system/env-status");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        ApiAssert.RequestId(response);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(NextElevenApiFactory.TestApiKey, text, StringComparison.Ordinal);
        var body = await ApiAssert.Json(response);
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal("Production", body.GetProperty("environment").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("version").GetString()));
        Assert.True(body.GetProperty("uptimeSeconds").GetInt64() >= 90);
        Assert.Equal("enforced", body.GetProperty("auth").GetString());
        Assert.Equal("echo", body.GetProperty("chat").GetProperty("provider").GetString());
    }

    [Fact]
    public async Task EnvStatusReportsTheProviderModelAndEndpointHostButNeverItsKey()
    {
        using var factory = new NextElevenApiFactory
        {
            Settings = { ["XAI_API_KEY"] = "xai-secret-provider-key-000000000000", ["Chat:Model"] = "grok-4-fast" },
        };

        using var response = await factory.CreateClient(NextElevenApiFactory.TestApiKey).GetAsync("/api/system/env-status");

        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("xai-secret-provider-key", text, StringComparison.Ordinal);
        var chat = (await ApiAssert.Json(response)).GetProperty("chat");
        Assert.Equal("xai", chat.GetProperty("provider").GetString());
        Assert.Equal("grok-4-fast", chat.GetProperty("model").GetString());
        Assert.Equal("api.x.ai", chat.GetProperty("endpointHost").GetString());
        Assert.True(chat.GetProperty("configured").GetBoolean());
    }

    [Fact]
    public async Task WithoutAProviderKeyTheOfflineResponderIsTheProvider()
    {
        using var factory = new NextElevenApiFactory();

        using var response = await factory.CreateClient(NextElevenApiFactory.TestApiKey).GetAsync("/api/system/env-status");

        var chat = (await ApiAssert.Json(response)).GetProperty("chat");
        Assert.Equal("echo", chat.GetProperty("provider").GetString());
        Assert.Equal("nexteleven-offline-echo", chat.GetProperty("model").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, chat.GetProperty("endpointHost").ValueKind);
        Assert.True(chat.GetProperty("configured").GetBoolean());
    }

    [Fact]
    public async Task EnvStatusIgnoresAWrongKey()
    {
        using var factory = new NextElevenApiFactory();

        using var response = await factory.CreateClient("not-the-key").GetAsync("/api/system/env-status");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["status", "environment", "version"], (await ApiAssert.Json(response)).EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("a-wrong-key-0000000000000000000000000")]
    public async Task WithoutAValidKeyEnvStatusSaysOnlyWhatALoadBalancerNeeds(string? key)
    {
        using var factory = new NextElevenApiFactory
        {
            Settings = { ["XAI_API_KEY"] = "xai-secret-provider-key-000000000000", ["Chat:Model"] = "grok-4-fast" },
        };

        using var response = await factory.CreateClient(key).GetAsync("/api/system/env-status");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ApiAssert.Json(response);
        Assert.Equal(["status", "environment", "version"], body.EnumerateObject().Select(p => p.Name));
        Assert.DoesNotContain("+", body.GetProperty("version").GetString(), StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("x.ai", text, StringComparison.Ordinal);
        Assert.DoesNotContain("grok", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnvStatusAnswersHeadForLoadBalancerProbes()
    {
        using var factory = new NextElevenApiFactory();

        using var response = await factory.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/system/env-status"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        ApiAssert.RequestId(response);
    }
}
