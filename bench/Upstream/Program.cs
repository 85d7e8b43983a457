using System.Text.Json;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

string[] words = ["Morning", " light", " on", " the", " water"];
const string Head = """{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"bench-model","choices":[""";

app.MapPost("/v1/chat/completions", async context =>
{
    // A whole reply unless the request asks for a stream, as OpenAI answers.
    using var request = await JsonDocument.ParseAsync(context.Request.Body);
    if (!request.RootElement.TryGetProperty("stream", out var stream) || stream.ValueKind != JsonValueKind.True)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("""
            {"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"bench-model","choices":[{"index":0,"message":{"role":"assistant","content":"Morning light on the water"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":5,"total_tokens":14}}
            """);
        return;
    }
    // A conversation whose last message is "long" gets a long reply (2,000 pieces, about 330 KB), written
    // as fast as the connection takes it: what a slow client's stream would pile up in a gateway that buffers.
    var pieces = LastMessageIs(request.RootElement, "long") ? 2000 : words.Length;
    context.Response.ContentType = "text/event-stream";
    await context.Response.WriteAsync($"data: {Head}{{\"index\":0,\"delta\":{{\"role\":\"assistant\",\"content\":\"\"}},\"finish_reason\":null}}]}}\n\n");
    await context.Response.Body.FlushAsync();
    for (var i = 0; i < pieces; i++)
    {
        await context.Response.WriteAsync($"data: {Head}{{\"index\":0,\"delta\":{{\"content\":\"{words[i % words.Length]}\"}},\"finish_reason\":null}}]}}\n\n");
    }
    await context.Response.WriteAsync($"data: {Head}{{\"index\":0,\"delta\":{{}},\"finish_reason\":\"stop\"}}]}}\n\n");
    await context.Response.WriteAsync($"data: {Head}],\"usage\":{{\"prompt_tokens\":9,\"completion_tokens\":5,\"total_tokens\":14}}}}\n\n");
    await context.Response.WriteAsync("data: [DONE]\n\n");
});

app.MapGet("/", () => "ok");
app.Run();

static bool LastMessageIs(JsonElement request, string text) =>
    request.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array && messages.GetArrayLength() > 0
    && messages[messages.GetArrayLength() - 1].TryGetProperty("content", out var content)
    && content.ValueKind == JsonValueKind.String && content.GetString() == text;
