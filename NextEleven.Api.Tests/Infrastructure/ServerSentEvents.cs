using System.Text.Json;

namespace NextEleven.Api.Tests.Infrastructure;

/// <summary>Reads a text/event-stream body into its data payloads, in order.</summary>
public static class ServerSentEvents
{
    public static async Task<List<string>> ReadDataAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return [.. text.Split('\n')
            .Where(line => line.StartsWith("data:", StringComparison.Ordinal))
            .Select(line => line["data:".Length..].TrimStart())];
    }

    public static JsonElement Parse(string data)
    {
        using var document = JsonDocument.Parse(data);
        return document.RootElement.Clone();
    }
}
