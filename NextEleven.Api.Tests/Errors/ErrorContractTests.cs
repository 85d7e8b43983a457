using System.Net;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using NextEleven.Api.Tests.Infrastructure;
using Serilog.Events;

namespace NextEleven.Api.Tests.Errors;

public sealed class ErrorContractTests(NextEleven.Api.Tests.Security.ProductionApi api)
    : IClassFixture<NextEleven.Api.Tests.Security.ProductionApi>
{
    private const string Key = NextElevenApiFactory.TestApiKey;

    [Theory]
    [InlineData("""{"message":"Hello\""", "not valid JSON")]
    [InlineData("""{"message" "Hello"}""", "not valid JSON")]
    [InlineData("""{"message":"Hello"} trailing""", "not valid JSON")]
    [InlineData("not json at all", "not valid JSON")]
    [InlineData("""{"message":5}""", "Field 'message' must be a string.")]
    [InlineData("""{"message":true}""", "Field 'message' must be a string.")]
    [InlineData("""{"message":{"text":"Hello"}}""", "Field 'message' must be a string.")]
    [InlineData("""{"message":["Hello"]}""", "Field 'message' must be a string.")]
    [InlineData("""{"message":"Hello","history":"earlier"}""", "Field 'history' must be an array of objects.")]
    [InlineData("""{"message":"Hello","history":[{"role":1,"content":"x"}]}""", "Field 'history[0].role' must be a string.")]
    [InlineData("""{"message":"Hello","message":"again"}""", "Field 'message' appears more than once.")]
    [InlineData("""["Hello"]""", "The request body must be a JSON object.")]
    [InlineData("\"Hello\"", "The request body must be a JSON object.")]
    [InlineData("null", "The request body must be a JSON object, not null.")]
    [InlineData("", "The request body is empty; send a JSON object.")]
    [InlineData("{}", "Field 'message' is required and must be a string.")]
    [InlineData("""{"message":null}""", "Field 'message' is required and must be a string.")]
    [InlineData("""{"message":"   "}""", "Field 'message' must not be blank.")]
    [InlineData("""{"message":"Hello","history":[{"role":"wizard","content":"x"}]}""", "Field 'history[0].role' must be one of 'user', 'assistant' or 'system'.")]
    [InlineData("""{"message":"Hello","history":[{"role":"user"}]}""", "Field 'history[0].content' is required and must be a string.")]
    public async Task BadChatBodyGets400NamingTheProblem(string json, string expected)
    {
        using var response = await api.Factory.CreateClient().SendAsync(HttpRequests.Chat(json, Key));

        var body = await ApiAssert.Error(response, HttpStatusCode.BadRequest, "Invalid request");
        Assert.Contains(expected, body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidUtf8Gets400()
    {
        byte[] body = [.. "{\"message\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        using var response = await api.Factory.CreateClient().SendAsync(HttpRequests.ChatBytes(body, Key));

        var error = await ApiAssert.Error(response, HttpStatusCode.BadRequest, "Invalid request");
        Assert.Contains("not valid JSON", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoneSurrogateEscapeGets400()
    {
        using var response = await api.Factory.CreateClient().SendAsync(HttpRequests.Chat("""{"message":"\ud800"}""", Key));

        await ApiAssert.Error(response, HttpStatusCode.BadRequest, "Invalid request");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    public async Task NonJsonBodyGets415(string contentType)
    {
        using var response = await api.Factory.CreateClient().SendAsync(
            HttpRequests.Chat("""{"message":"Hello"}""", Key, contentType));

        await ApiAssert.Error(response, HttpStatusCode.UnsupportedMediaType, "Unsupported media type");
    }

    [Fact]
    public async Task BodyWithoutContentTypeGets415()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat")
        {
            Content = new ByteArrayContent("""{"message":"Hello"}"""u8.ToArray()),
        };
        request.Headers.Add("X-API-Key", Key);

        using var response = await api.Factory.CreateClient().SendAsync(request);

        await ApiAssert.Error(response, HttpStatusCode.UnsupportedMediaType, "Unsupported media type");
    }

    [Fact]
    public async Task JsonWithCharsetIsAccepted()
    {
        using var response = await api.Factory.CreateClient().SendAsync(
            HttpRequests.Chat("""{"message":"Hello"}""", Key, "application/json; charset=utf-8"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task BodyOverTheLimitGets413WithOrWithoutContentLength(bool sendContentLength)
    {
        using var factory = new NextElevenApiFactory { Settings = { ["Limits:MaxRequestBodyBytes"] = "2048" } };
        var json = $$"""{"message":"{{new string('a', 4096)}}"}""";
        HttpContent content = sendContentLength
            ? new StringContent(json, Encoding.UTF8, "application/json")
            : new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json))) { Headers = { ContentType = new("application/json") } };
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat") { Content = content };
        request.Headers.Add("X-API-Key", Key);
        if (!sendContentLength)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        using var response = await factory.CreateClient().SendAsync(request);

        var body = await ApiAssert.Error(response, HttpStatusCode.RequestEntityTooLarge, "Payload too large");
        Assert.Contains("2048", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessageOverTheLengthLimitGets400()
    {
        using var factory = new NextElevenApiFactory { Settings = { ["Limits:MaxMessageLength"] = "10" } };

        using var response = await factory.CreateClient().SendAsync(HttpRequests.Chat("""{"message":"eleven char"}""", Key));

        var body = await ApiAssert.Error(response, HttpStatusCode.BadRequest, "Invalid request");
        Assert.Equal("Field 'message' is 11 characters long; the limit is 10.", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ABugGets500WithoutDetailsAndIsLoggedWithTheRequestId()
    {
        using var factory = new NextElevenApiFactory
        {
            ConfigureServices = services => services.AddChatClient(new FailingChatClient()),
        };

        using var response = await factory.CreateClient().SendAsync(HttpRequests.Chat("""{"message":"Hello"}""", Key));

        var body = await ApiAssert.Error(response, HttpStatusCode.InternalServerError, "Internal server error");
        Assert.DoesNotContain(FailingChatClient.Secret, body.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("at NextEleven", body.ToString(), StringComparison.Ordinal);
        var requestId = ApiAssert.RequestId(response);
        var requestLine = await factory.Logs.RequestLineAsync(requestId);
        Assert.Equal(LogEventLevel.Error, requestLine.Level);
        var exceptionLine = Assert.Single(factory.Logs.Events, e => e.Exception is InvalidOperationException);
        Assert.Equal($"\"{requestId}\"", exceptionLine.Properties["RequestId"].ToString());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/index.html")]
    [InlineData("/swagger")]
    [InlineData("/openapi/v1.json")]
    public async Task PathsOutsideTheApiGetJson404InProduction(string path)
    {
        using var response = await api.Factory.CreateClient().GetAsync(path);

        await ApiAssert.Error(response, HttpStatusCode.NotFound, "Not found");
    }
}
