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
    context.Response.ContentType = "text/event-stream";
    await context.Response.WriteAsync($"data: {Head}{{\"index\":0,\"delta\":{{\"role\":\"assistant\",\"content\":\"\"}},\"finish_reason\":null}}]}}\n\n");
    await context.Response.Body.FlushAsync();
    foreach (var word in words)
    {
        await context.Response.WriteAsync($"data: {Head}{{\"index\":0,\"delta\":{{\"content\":\"{word}\"}},\"finish_reason\":null}}]}}\n\n");
    }
    await context.Response.WriteAsync($"data: {Head}{{\"index\":0,\"delta\":{{}},\"finish_reason\":\"stop\"}}]}}\n\n");
    await context.Response.WriteAsync($"data: {Head}],\"usage\":{{\"prompt_tokens\":9,\"completion_tokens\":5,\"total_tokens\":14}}}}\n\n");
    await context.Response.WriteAsync("data: [DONE]\n\n");
});

app.Run();
