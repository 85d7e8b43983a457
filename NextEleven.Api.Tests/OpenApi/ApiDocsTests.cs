using System.Net;
using System.Text.Json;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.OpenApi;

public sealed class ApiDocsTests
{
    [Fact]
    public async Task DevelopmentServesTheDocumentWithBothKeySchemesAndErrorResponses()
    {
        using var factory = new NextElevenApiFactory { EnvironmentName = "Development" };

        using var response = await factory.CreateClient().GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await ApiAssert.Json(response);
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("apiKey", schemes.GetProperty("ApiKey").GetProperty("type").GetString());
        Assert.Equal("header", schemes.GetProperty("ApiKey").GetProperty("in").GetString());
        Assert.Equal("X-API-Key", schemes.GetProperty("ApiKey").GetProperty("name").GetString());
        Assert.Equal("http", schemes.GetProperty("Bearer").GetProperty("type").GetString());
        Assert.Equal("bearer", schemes.GetProperty("Bearer").GetProperty("scheme").GetString());

        var chat = document.GetProperty("paths").GetProperty("/api/chat").GetProperty("post");
        var security = chat.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["ApiKey", "Bearer"], security.Order());
        Assert.Equal("#/components/schemas/ChatRequest",
            chat.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        var responses = chat.GetProperty("responses");
        foreach (var status in new[] { "200", "400", "401", "413", "415", "429", "502", "503", "504" })
        {
            Assert.True(responses.TryGetProperty(status, out _), $"response {status} is not documented");
        }
        Assert.Equal("#/components/schemas/ApiErrorBody", responses.GetProperty("401").GetProperty("content")
            .GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());

        Assert.Equal(["application/json", "text/event-stream"],
            responses.GetProperty("200").GetProperty("content").EnumerateObject().Select(c => c.Name));
        var status200 = document.GetProperty("paths").GetProperty("/api/system/env-status").GetProperty("get");
        Assert.False(status200.TryGetProperty("security", out _), "the public route must not ask for a key");
        Assert.True(status200.GetProperty("responses").TryGetProperty("429", out _), "the public route has its own limit");
    }

    [Theory]
    [InlineData("/api/chat", "ChatRequest", "message")]
    [InlineData("/api/v1/chat/completions", "ChatCompletionRequest", "messages")]
    public async Task TheDocumentedExampleBodyIsOneTheServerAcceptsAndItsFieldsAreTypedStrictly(string path, string schemaName, string required)
    {
        using var factory = new NextElevenApiFactory { EnvironmentName = "Development" };
        var document = await ApiAssert.Json(await factory.CreateClient().GetAsync("/openapi/v1.json"));

        var schema = document.GetProperty("components").GetProperty("schemas").GetProperty(schemaName);
        Assert.Contains(required, schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        var maxTokens = schema.GetProperty("properties").EnumerateObject().First(p => p.Name.StartsWith("max", StringComparison.OrdinalIgnoreCase)).Value;
        Assert.DoesNotContain("string", maxTokens.GetRawText(), StringComparison.Ordinal);
        var example = document.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("example");

        // What Swagger UI's "Try it out" sends by default.
        using var tried = await factory.CreateClient(NextElevenApiFactory.TestApiKey).PostAsync(path,
            new StringContent(example.GetRawText(), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, tried.StatusCode);
    }

    [Fact]
    public async Task TheOpenAiSurfaceDocumentsItsErrorsInOpenAisShape()
    {
        using var factory = new NextElevenApiFactory { EnvironmentName = "Development" };
        var document = await ApiAssert.Json(await factory.CreateClient().GetAsync("/openapi/v1.json"));

        var responses = document.GetProperty("paths").GetProperty("/api/v1/chat/completions").GetProperty("post").GetProperty("responses");

        Assert.Equal("#/components/schemas/OpenAiErrorBody", responses.GetProperty("400").GetProperty("content")
            .GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
    }

    [Fact]
    public async Task SwaggerUiRendersTheOpenApiDocument()
    {
        using var factory = new NextElevenApiFactory { EnvironmentName = "Development" };
        var client = factory.CreateClient();

        using var page = await client.GetAsync("/swagger/index.html");
        using var config = await client.GetAsync("/swagger/index.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("swagger-ui", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("/openapi/v1.json", await config.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProductionHidesTheDocsUnlessASettingTurnsThemOn()
    {
        using var hidden = new NextElevenApiFactory();
        using var shown = new NextElevenApiFactory { Settings = { ["OpenApi:Enabled"] = "true" } };

        using var hiddenResponse = await hidden.CreateClient().GetAsync("/openapi/v1.json");
        using var shownResponse = await shown.CreateClient().GetAsync("/openapi/v1.json");
        using var shownUi = await shown.CreateClient().GetAsync("/swagger/index.html");

        await ApiAssert.Error(hiddenResponse, HttpStatusCode.NotFound, "Not found");
        Assert.Equal(HttpStatusCode.OK, shownResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, shownUi.StatusCode);
        Assert.Equal(JsonValueKind.Object, (await ApiAssert.Json(shownResponse)).GetProperty("paths").ValueKind);
    }
}
