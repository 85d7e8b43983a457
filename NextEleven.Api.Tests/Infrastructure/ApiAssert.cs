using System.Net;
using System.Text.Json;

namespace NextEleven.Api.Tests.Infrastructure;

/// <summary>Assertions for the contract's shapes, so each test states what differs and not the boilerplate.</summary>
public static class ApiAssert
{
    /// <summary>
    /// A contract error: the status, a JSON body with error, message and a requestId equal to the
    /// X-Request-Id header; on the OpenAI-compatible surface (<c>/api/v1</c>) in OpenAI's shape, its
    /// <c>code</c> the error in snake_case. Returns the body for further checks.
    /// </summary>
    public static async Task<JsonElement> Error(HttpResponseMessage response, HttpStatusCode status, string error,
        string? message = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await Json(response);
        var openAi = response.RequestMessage?.RequestUri?.AbsolutePath.StartsWith("/api/v1/", StringComparison.OrdinalIgnoreCase) == true;
        var detail = openAi ? body.GetProperty("error") : body;
        if (openAi)
        {
            Assert.Equal(error.ToLowerInvariant().Replace(' ', '_'), detail.GetProperty("code").GetString());
            Assert.False(string.IsNullOrEmpty(detail.GetProperty("type").GetString()));
            Assert.True(detail.TryGetProperty("param", out _), "error.param is missing");
        }
        else
        {
            Assert.Equal(error, body.GetProperty("error").GetString());
        }
        var actualMessage = detail.GetProperty("message").GetString();
        Assert.False(string.IsNullOrWhiteSpace(actualMessage));
        if (message is not null)
        {
            Assert.Equal(message, actualMessage);
        }
        Assert.Equal(RequestId(response), body.GetProperty("requestId").GetString());
        return body;
    }

    public static string RequestId(HttpResponseMessage response)
    {
        Assert.True(response.Headers.TryGetValues("X-Request-Id", out var values), "X-Request-Id header is missing");
        var id = Assert.Single(values);
        Assert.False(string.IsNullOrWhiteSpace(id));
        return id;
    }

    public static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
