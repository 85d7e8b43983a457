using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.AI;
using NextEleven.Api.Chat;
using NextEleven.Api.Errors;
using NextEleven.Api.OpenApi;
using NextEleven.Api.Requests;

namespace NextEleven.Api.OpenAiCompat;

/// <summary>
/// An OpenAI-compatible surface under the same key and limits, so the official OpenAI SDKs work with
/// <c>baseURL = http://host:port/api/v1</c> and the NextEleven key as their API key.
/// </summary>
internal static class OpenAiEndpoints
{
    private static readonly OpenAiChatSurface Surface = new();

    public static RouteGroupBuilder MapOpenAiCompat(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/v1").WithTags("OpenAI-compatible");
        group.MapPost("/chat/completions", CreateAsync)
            .WithName("CreateChatCompletion")
            .WithSummary("OpenAI chat completions: JSON, or chat.completion.chunk events when \"stream\": true.")
            .Accepts<ChatCompletionRequest>("application/json")
            .ProducesJsonOrServerSentEvents<ChatCompletion, ChatCompletionChunk>()
            .ProducesChatErrors();
        group.MapGet("/models", (HttpContext context, ChatService chat, ChatPipeline pipeline) => ListModels(context, chat, pipeline))
            .WithName("ListModels")
            .WithSummary("The models a request may name.");
        return group;
    }

    /// <summary>The models this client may name.</summary>
    public static Ok<ModelList> ListModels(HttpContext context, ChatService chat, ChatPipeline pipeline) => TypedResults.Ok(new ModelList("list",
        [.. chat.ModelsFor(pipeline.CallerOf(context)).Select(model => new ModelInfo(model, "model", 0, chat.Provider))]));

    public static Task<Results<Ok<ChatCompletion>, ServerSentEventsResult<string>, ApiErrorResult>> CreateAsync(
        HttpContext context, ChatPipeline pipeline, CancellationToken cancellationToken) =>
        pipeline.HandleAsync(context, Surface, cancellationToken);

    /// <summary>The request's messages as a conversation, or the first problem with them.</summary>
    private static (List<ChatMessage>? Messages, string? Problem) Conversation(ChatCompletionRequest request, RequestLimitsOptions limits)
    {
        if (request.Messages is not { Count: > 0 } messages)
        {
            return (null, "Field 'messages' is required and must be a non-empty array.");
        }
        if (messages.Count > limits.MaxHistoryMessages + 1)
        {
            return (null, $"Field 'messages' has {messages.Count} entries; the limit is {limits.MaxHistoryMessages + 1}.");
        }
        var conversation = new List<ChatMessage>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var role = ChatRequestValidator.RoleOf(messages[i]?.Role, acceptDeveloper: true);
            if (role is null)
            {
                return (null, $"Field 'messages[{i}].role' must be one of 'system', 'developer', 'user' or 'assistant'.");
            }
            var text = TextOf(messages[i].Content);
            if (text is null)
            {
                return (null, $"Field 'messages[{i}].content' must be a string or an array of text parts.");
            }
            if (text.Length > limits.MaxMessageLength)
            {
                return (null, $"Field 'messages[{i}].content' is {text.Length} characters long; the limit is {limits.MaxMessageLength}.");
            }
            conversation.Add(new ChatMessage(role.Value, text));
        }
        return (conversation, null);
    }

    private static string? TextOf(JsonElement? content)
    {
        switch (content?.ValueKind)
        {
            case JsonValueKind.String:
                return content.Value.GetString();
            case JsonValueKind.Array:
                var parts = new List<string>();
                foreach (var part in content.Value.EnumerateArray())
                {
                    if (part.ValueKind != JsonValueKind.Object
                        || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "text"
                        || !part.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
                    {
                        return null;
                    }
                    parts.Add(text.GetString()!);
                }
                return string.Concat(parts);
            default:
                return null;
        }
    }

    /// <summary>OpenAI's chat completions: <c>messages</c> in, a <c>chat.completion</c> or <c>chat.completion.chunk</c> events out.</summary>
    private sealed class OpenAiChatSurface : ChatSurface<ChatCompletionRequest, ChatCompletion>
    {
        private static readonly OpenAiJsonContext ChunkJson = new(ErrorsJsonContext.CreateOptions());

        public override JsonTypeInfo<ChatCompletionRequest> RequestType => OpenAiJsonContext.Default.ChatCompletionRequest;

        public override string? ModelOf(ChatCompletionRequest request) => request.Model;

        public override (ChatTurn? Turn, string? Problem) ToTurn(ChatCompletionRequest request, string? model,
            RequestLimitsOptions limits, ChatService chat)
        {
            var (messages, problem) = Conversation(request, limits);
            var maxTokens = request.MaxCompletionTokens ?? request.MaxTokens;
            problem ??= ChatRequestValidator.SamplingProblem(model, request.Temperature, maxTokens, chat,
                request.MaxCompletionTokens is null ? "max_tokens" : "max_completion_tokens");
            return problem is not null ? (null, problem) : (new ChatTurn(messages!, model, request.Temperature, maxTokens), null);
        }

        public override bool WantsStream(ChatCompletionRequest request, HttpRequest httpRequest) => request.Stream == true;

        public override ChatCompletion Reply(ChatAnswer answer, ChatExchange exchange) =>
            new(IdOf(exchange), "chat.completion", exchange.Started.ToUnixTimeSeconds(), answer.Model,
                [new ChatCompletionChoice(0, new AssistantMessage("assistant", answer.Text), answer.FinishReason)],
                new CompletionUsage(answer.Usage.InputTokens, answer.Usage.OutputTokens, answer.Usage.TotalTokens));

        public override async IAsyncEnumerable<string> Events(IAsyncEnumerable<ChatStreamStep> steps, ChatExchange exchange,
            [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var id = IdOf(exchange);
            var created = exchange.Started.ToUnixTimeSeconds();
            var first = true;
            await foreach (var step in steps.WithCancellation(cancellationToken))
            {
                switch (step)
                {
                    case ChatDelta delta:
                        // The first chunk carries the role, as OpenAI's do.
                        yield return Chunk(new ChatCompletionChunk(id, "chat.completion.chunk", created, delta.Model,
                            [new ChunkChoice(0, new ChunkDelta(first ? "assistant" : null, delta.Text), null)]));
                        first = false;
                        break;
                    case ChatFinished finished:
                        yield return Chunk(new ChatCompletionChunk(id, "chat.completion.chunk", created, finished.Model,
                            [new ChunkChoice(0, new ChunkDelta(null, null), finished.FinishReason)]));
                        var usage = finished.Usage;
                        yield return Chunk(new ChatCompletionChunk(id, "chat.completion.chunk", created, finished.Model, [],
                            new CompletionUsage(usage.InputTokens, usage.OutputTokens, usage.TotalTokens)));
                        yield return "[DONE]";
                        break;
                    case ChatStreamFailed failed:
                        // OpenAI's in-band error shape, which the SDKs recognise in a stream.
                        yield return JsonSerializer.Serialize(new StreamError(new StreamErrorDetail(
                            failed.Failure.Message, ApiErrors.TitleFor(ChatPipeline.StatusOf(failed.Failure)))),
                            OpenAiErrorJson.Default.StreamError);
                        break;
                }
            }
        }

        private static string IdOf(ChatExchange exchange) => "chatcmpl-" + exchange.RequestId.Replace(":", "-", StringComparison.Ordinal);

        private static string Chunk(ChatCompletionChunk chunk) => JsonSerializer.Serialize(chunk, ChunkJson.ChatCompletionChunk);
    }
}
