using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace NextEleven.Api.Tests.Infrastructure;

/// <summary>
/// A real HTTP server on loopback speaking the OpenAI chat-completions wire format, as xAI, OpenAI and
/// Ollama do: JSON completions, SSE chunks with a usage chunk and <c>data: [DONE]</c>, and both error
/// shapes. Each test says how it answers through <see cref="Respond"/>, and reads what it was sent.
/// </summary>
public sealed class FakeProvider : IAsyncDisposable
{
    public const string Model = "grok-test";

    private readonly WebApplication _app;

    private FakeProvider(WebApplication app) => _app = app;

    /// <summary>The base URL to configure as <c>Chat:Endpoint</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Completes when the first request arrives.</summary>
    public TaskCompletionSource RequestArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the service drops a request it had sent (a client disconnect reaching upstream).</summary>
    public TaskCompletionSource UpstreamAborted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Func<HttpContext, Task> Respond { get; set; } = Replies.Json("Hello from the provider");

    public static async Task<FakeProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var provider = new FakeProvider(app);
        app.MapPost("/v1/chat/completions", async context =>
        {
            context.RequestAborted.Register(() => provider.UpstreamAborted.TrySetResult());
            provider.RequestArrived.TrySetResult();
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            var recorded = new RecordedRequest(
                context.Request.Headers.Authorization.ToString(),
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                JsonNode.Parse(body.RootElement.GetRawText())!);
            context.Items[typeof(RecordedRequest)] = recorded;
            provider.Requests.Enqueue(recorded);
            try
            {
                await provider.Respond(context);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The service hung up: exactly what some tests wait for.
            }
        });
        await app.StartAsync();
        provider.Endpoint = new Uri(app.Urls.Single() + "/v1");
        return provider;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed record RecordedRequest(string Authorization, IReadOnlyDictionary<string, string> Headers, JsonNode Body);
}

/// <summary>Ways the fake provider answers.</summary>
public static class Replies
{
    public static Func<HttpContext, Task> Json(string text, int promptTokens = 12, int completionTokens = 5,
        string finishReason = "stop") => context =>
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync($$$"""
            {"id":"chatcmpl-upstream","object":"chat.completion","created":1700000000,"model":"{{{FakeProvider.Model}}}",
             "choices":[{"index":0,"message":{"role":"assistant","content":{{{JsonSerializer.Serialize(text)}}}},"finish_reason":"{{{finishReason}}}"}],
             "usage":{"prompt_tokens":{{{promptTokens}}},"completion_tokens":{{{completionTokens}}},"total_tokens":{{{promptTokens + completionTokens}}}}}
            """);
    };

    /// <summary>SSE chunks as OpenAI sends them: role first, text deltas, the finish chunk, the usage chunk, [DONE].</summary>
    public static Func<HttpContext, Task> Stream(string[] deltas, int promptTokens = 12, int completionTokens = 5,
        Func<HttpContext, int, Task>? between = null, bool finish = true) => async context =>
    {
        context.Response.ContentType = "text/event-stream";
        await Event(context, """{"role":"assistant","content":""}""", null);
        for (var i = 0; i < deltas.Length; i++)
        {
            await Event(context, $$"""{"content":{{JsonSerializer.Serialize(deltas[i])}}}""", null);
            if (between is not null)
            {
                await between(context, i);
            }
        }
        if (!finish)
        {
            return;
        }
        await Event(context, "{}", "\"stop\"");
        await Data(context, $$$"""{"id":"chatcmpl-upstream","object":"chat.completion.chunk","created":1700000000,"model":"{{{FakeProvider.Model}}}","choices":[],"usage":{"prompt_tokens":{{{promptTokens}}},"completion_tokens":{{{completionTokens}}},"total_tokens":{{{promptTokens + completionTokens}}}}}""");
        await Data(context, "[DONE]");
    };

    /// <summary>A whole reply or a stream, whichever the request asked for.</summary>
    public static Func<HttpContext, Task> JsonOrStream(string text) => context =>
    {
        var request = (FakeProvider.RecordedRequest)context.Items[typeof(FakeProvider.RecordedRequest)]!;
        return request.Body["stream"]?.GetValue<bool>() == true ? Stream([text])(context) : Json(text)(context);
    };

    public static Func<HttpContext, Task> Error(int status, string body, params (string Name, string Value)[] headers) => context =>
    {
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body);
    };

    public static Func<HttpContext, Task> Slow(TimeSpan delay, Func<HttpContext, Task> then) => async context =>
    {
        await Task.Delay(delay, context.RequestAborted);
        await then(context);
    };

    public static Func<HttpContext, Task> Sequence(params Func<HttpContext, Task>[] replies)
    {
        var next = 0;
        return context => replies[Math.Min(Interlocked.Increment(ref next) - 1, replies.Length - 1)](context);
    }

    private static Task Event(HttpContext context, string delta, string? finishReason) => Data(context,
        $$$"""{"id":"chatcmpl-upstream","object":"chat.completion.chunk","created":1700000000,"model":"{{{FakeProvider.Model}}}","choices":[{"index":0,"delta":{{{delta}}},"finish_reason":{{{finishReason ?? "null"}}}}]}""");

    private static async Task Data(HttpContext context, string data)
    {
        await context.Response.WriteAsync($"data: {data}\n\n");
        await context.Response.Body.FlushAsync();
    }
}
