using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NextEleven.Api.RateLimiting;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Clients;

/// <summary>Named clients from the clients file, over HTTP: their keys, budgets, policies, models and states.</summary>
public sealed class ClientsTests
{
    private static readonly string AcmeKey = ClientsFiles.NewKey();
    private static readonly string AcmeSecondKey = ClientsFiles.NewKey();
    private static readonly string GlobexKey = ClientsFiles.NewKey();
    private static readonly string[] EchoLargeOnly = ["echo-large"];

    private static NextElevenApiFactory WithClients(string clientsFile, string? environmentKey = null)
    {
        var factory = new NextElevenApiFactory
        {
            ApiKey = environmentKey,
            Settings =
            {
                ["Clients:File"] = "clients.json",
                ["RateLimit:Tiers:gold:PermitLimit"] = "3",
                ["Chat:AllowedModels:0"] = "echo-large",
            },
        };
        File.WriteAllText(Path.Combine(factory.ContentRoot, "clients.json"), clientsFile);
        return factory;
    }

    private static async Task<HttpResponseMessage> Chat(HttpClient client, string key, string body = """{"message":"Hi"}""") =>
        await client.SendAsync(HttpRequests.Chat(body, key));

    [Fact]
    public async Task TwoClientsHaveSeparateBudgetsAndTheKeysOfOneClientShareOne()
    {
        using var factory = WithClients(ClientsFiles.File(
            ClientsFiles.Client("acme", [AcmeKey, AcmeSecondKey], new { limits = new { permitLimit = 5 } }),
            ClientsFiles.Client("globex", [GlobexKey], new { tier = "gold" })));
        var client = factory.CreateClient();

        using var acmeFirst = await Chat(client, AcmeKey);
        using var acmeSecond = await Chat(client, AcmeSecondKey);
        using var globex = await Chat(client, GlobexKey);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], new[] { acmeFirst.StatusCode, acmeSecond.StatusCode, globex.StatusCode });
        Assert.Equal(4, RateLimitHeaders.From(acmeFirst).Remaining);
        Assert.Equal(3, RateLimitHeaders.From(acmeSecond).Remaining);
        Assert.Equal("\"acme\";q=5;w=3600", RateLimitHeaders.From(acmeSecond).Policy);
        Assert.Equal(2, RateLimitHeaders.From(globex).Remaining);
        Assert.Equal("\"gold\";q=3;w=3600", RateLimitHeaders.From(globex).Policy);
        Assert.Equal("\"gold\";r=2;t=3600", RateLimitHeaders.From(globex).RateLimit);
    }

    [Fact]
    public async Task AClientOverItsOwnLimitIsToldItsOwnPolicyInWords()
    {
        using var factory = WithClients(ClientsFiles.File(
            ClientsFiles.Client("acme", [AcmeKey], new { limits = new { permitLimit = 2, window = "00:15:00" } })));
        var client = factory.CreateClient();

        (await Chat(client, AcmeKey)).Dispose();
        (await Chat(client, AcmeKey)).Dispose();
        using var refused = await Chat(client, AcmeKey);

        var body = await ApiAssert.Error(refused, HttpStatusCode.TooManyRequests, "Rate limit exceeded");
        Assert.StartsWith("Too many requests. Limit: 2 requests per 15 minutes. Try again in ", body.GetProperty("message").GetString());
        Assert.Equal("\"acme\";q=2;w=900", RateLimitHeaders.From(refused).Policy);
    }

    [Fact]
    public async Task AnExpiredKeyGets401SayingSoAndCountsAgainstTheAddress()
    {
        var now = new DateTimeOffset(2026, 1, 14, 17, 0, 0, TimeSpan.Zero);
        using var factory = WithClients(ClientsFiles.File(ClientsFiles.Client("acme", [AcmeKey], expires: now.AddHours(1))));
        var client = factory.CreateClient();

        using var beforeExpiry = await Chat(client, AcmeKey);
        factory.Time.Advance(TimeSpan.FromHours(2));
        using var afterExpiry = await Chat(client, AcmeKey);

        Assert.Equal(HttpStatusCode.OK, beforeExpiry.StatusCode);
        var body = await ApiAssert.Error(afterExpiry, HttpStatusCode.Unauthorized, "Invalid API key");
        Assert.Equal("The provided API key has expired", body.GetProperty("message").GetString());
        Assert.Equal("\"default\";q=100;w=3600", RateLimitHeaders.From(afterExpiry).Policy);
    }

    [Fact]
    public async Task ADisabledClientsKeyGetsTheInvalidKeyAnswer()
    {
        using var factory = WithClients(ClientsFiles.File(ClientsFiles.Client("acme", [AcmeKey], new { disabled = true })));

        using var response = await Chat(factory.CreateClient(), AcmeKey);

        var body = await ApiAssert.Error(response, HttpStatusCode.Unauthorized, "Invalid API key");
        Assert.Equal("The provided API key is invalid", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AModelOutsideTheClientsListIs403OnBothSurfacesAndTheListShowsOnlyItsModels()
    {
        using var factory = WithClients(ClientsFiles.File(ClientsFiles.Client("acme", [AcmeKey], new { models = EchoLargeOnly })));
        var client = factory.CreateClient();

        using var defaultModel = await Chat(client, AcmeKey);
        using var forbidden = await Chat(client, AcmeKey, """{"message":"Hi","model":"nexteleven-offline-echo"}""");
        var completion = new HttpRequestMessage(HttpMethod.Post, "/api/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "nexteleven-offline-echo", messages = new[] { new { role = "user", content = "Hi" } } }),
        };
        completion.Headers.Add("X-API-Key", AcmeKey);
        using var forbiddenCompletion = await client.SendAsync(completion);
        var models = new HttpRequestMessage(HttpMethod.Get, "/api/v1/models");
        models.Headers.Add("X-API-Key", AcmeKey);
        using var modelList = await client.SendAsync(models);

        // The default model is not on the client's list: a request naming none runs on the list's first model.
        Assert.Equal(HttpStatusCode.OK, defaultModel.StatusCode);
        var body = await ApiAssert.Error(forbidden, HttpStatusCode.Forbidden, "Forbidden");
        Assert.Equal("Model 'nexteleven-offline-echo' is not allowed for this API key", body.GetProperty("message").GetString());
        await ApiAssert.Error(forbiddenCompletion, HttpStatusCode.Forbidden, "Forbidden");
        var listed = (await modelList.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").EnumerateArray()
            .Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Equal(["echo-large"], listed);
    }

    [Fact]
    public async Task TheEnvironmentKeyIsClientDefaultBesideTheFileAndLogsAndMetricsNameClientsById()
    {
        using var factory = WithClients(ClientsFiles.File(ClientsFiles.Client("acme", [AcmeKey])), NextElevenApiFactory.TestApiKey);
        using var metrics = new MetricRecorder(factory.Services.GetRequiredService<RateLimitMetrics>().Meter);
        var client = factory.CreateClient();

        using var fromFile = await Chat(client, AcmeKey);
        using var fromEnvironment = await Chat(client, NextElevenApiFactory.TestApiKey);
        using var anonymous = await client.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""));

        Assert.Equal(HttpStatusCode.OK, fromFile.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromEnvironment.StatusCode);
        Assert.Equal("\"acme\"", (await factory.Logs.RequestLineAsync(ApiAssert.RequestId(fromFile))).Properties["ClientId"].ToString());
        var line = await factory.Logs.RequestLineAsync(ApiAssert.RequestId(fromFile));
        Assert.Equal($"\"{AcmeKey[..7]}\"", line.Properties["KeyId"].ToString());
        Assert.Equal("\"default\"", (await factory.Logs.RequestLineAsync(ApiAssert.RequestId(fromEnvironment))).Properties["ClientId"].ToString());
        Assert.Equal("\"anonymous\"", (await factory.Logs.RequestLineAsync(ApiAssert.RequestId(anonymous))).Properties["ClientId"].ToString());
        Assert.Equal(1, metrics.Sum("nexteleven.rate_limit.requests", ("client", "acme"), ("result", "admitted")));
        Assert.Equal(1, metrics.Sum("nexteleven.rate_limit.requests", ("client", "default"), ("result", "admitted")));
        Assert.Equal(1, metrics.Sum("nexteleven.rate_limit.requests", ("client", "anonymous")));
        Assert.DoesNotContain(AcmeKey, factory.Logs.RenderAll(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnvStatusNeverListsClientsWithOrWithoutAKey()
    {
        using var factory = WithClients(ClientsFiles.File(ClientsFiles.Client("acme-secret-customer", [AcmeKey])));

        var publicStatus = await factory.CreateClient().GetStringAsync("/api/system/env-status");
        var keyedStatus = await factory.CreateClient(AcmeKey).GetStringAsync("/api/system/env-status");

        Assert.DoesNotContain("acme-secret-customer", publicStatus, StringComparison.Ordinal);
        Assert.DoesNotContain("acme-secret-customer", keyedStatus, StringComparison.Ordinal);
        Assert.Contains("\"auth\":\"enforced\"", keyedStatus, StringComparison.Ordinal);
    }
}
