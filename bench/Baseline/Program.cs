using System.Text.Json.Serialization;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, BaselineJson.Default));
var app = builder.Build();

app.MapPost("/api/chat", (ChatIn request, HttpContext context) =>
{
    var reply = "[NextEleven offline responder: no LLM provider is configured] You said: " + request.Message;
    return TypedResults.Ok(new ChatOut(reply, "nexteleven-offline-echo", "echo", "stop",
        new Usage(2, 20, 22), context.TraceIdentifier));
});

app.Run();

internal sealed record ChatIn(string Message);

internal sealed record ChatOut(string Reply, string Model, string Provider, string FinishReason, Usage Usage, string RequestId);

internal sealed record Usage(long InputTokens, long OutputTokens, long TotalTokens);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ChatIn))]
[JsonSerializable(typeof(ChatOut))]
internal sealed partial class BaselineJson : JsonSerializerContext;
