using System.Net.Http.Headers;
using System.Text;

namespace NextEleven.Api.Tests.Infrastructure;

public static class HttpRequests
{
    public static HttpRequestMessage Chat(string json, string? apiKey = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat")
        {
            Content = new StringContent(json, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (apiKey is not null)
        {
            request.Headers.Add("X-API-Key", apiKey);
        }
        return request;
    }

    public static HttpRequestMessage ChatBytes(byte[] body, string? apiKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (apiKey is not null)
        {
            request.Headers.Add("X-API-Key", apiKey);
        }
        return request;
    }
}
