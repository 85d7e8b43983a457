using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using NextEleven.Api.Chat;
using NextEleven.Api.Errors;
using NextEleven.Api.OpenApi;
using NextEleven.Api.Requests;

namespace NextEleven.Api.OpenAiCompat;

/// <summary>
/// An OpenAI-compatible surface under the same key and limits, so the official OpenAI SDKs work with
/// <c>baseURL = http://host:port/api/v1</c> and the NextEleven key as their API key.
/// </summary>
public static class OpenAiEndpoints
{
    private static readonly OpenAiJsonContext ChunkJson = new(ErrorsJsonContext.CreateOptions());

    public static RouteGroupBuilder MapOpenAiCompat(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/v1").WithTags("OpenAI-compatible");
        group.MapPost("/chat/completions", CreateAsync)
            .WithName("CreateChatCompletion")
            .WithSummary("OpenAI chat completions: JSON, or chat.completion.chunk events when \"stream\": true.")
            .Accepts<ChatCompletionRequest>("application/json")
            .ProducesJsonOrServerSentEvents<ChatCompletion, ChatCompletionChunk>()
            .ProducesChatErrors();
        group.MapGet("/models", (HttpContext context, ChatService chat) => ListModels(context, chat))
            .WithName("ListModels")
            .WithSummary("The models a request may name.");
        return group;
    }

    /// <summary>The models this client may name.</summary>
    public static Ok<ModelList> ListModels(HttpContext context, ChatService chat) => TypedResults.Ok(new ModelList("list",
        [.. ModelAccess.For(context, chat).Select(model => new ModelInfo(model, "model", 0, chat.Provider))]));

    public static async Task<Results<Ok<ChatCompletion>, ServerSentEventsResult<string>, ApiErrorResult>> CreateAsync(
        HttpContext context, ChatService chat, IOptions<RequestLimitsOptions> limits, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (request, readError) = await JsonBody.ReadAsync(context.Request,
            OpenAiJsonContext.Default.ChatCompletionRequest, limits.Value.MaxRequestBodyBytes, cancellationToken);
        if (readError is not null)
        {
            return readError;
        }
        var model = request!.Model;
        if (ModelAccess.Check(context, chat, ref model) is { } forbidden)
        {
            return forbidden;
        }
        request = request with { Model = model };
        var (messages, problem) = Conversation(request, limits.Value);
        var maxTokens = request!.MaxCompletionTokens ?? request.MaxTokens;
        problem ??= ChatRequestValidator.SamplingProblem(request.Model, request.Temperature, maxTokens, chat,
            request.MaxCompletionTokens is null ? "max_tokens" : "max_completion_tokens");
        if (problem is not null)
        {
            return ApiErrors.BadRequest(problem);
        }

        var turn = new ChatTurn(messages!, request.Model, request.Temperature, maxTokens);
        var id = "chatcmpl-" + context.TraceIdentifier.Replace(":", "-", StringComparison.Ordinal);
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        if (request.Stream == true)
        {
            var (steps, streamFailure) = await chat.StartStreamAsync(turn, cancellationToken);
            return streamFailure ?? (Results<Ok<ChatCompletion>, ServerSentEventsResult<string>, ApiErrorResult>)
                TypedResults.ServerSentEvents(Chunks(steps!, id, created, turn.Model ?? chat.DefaultModel, cancellationToken));
        }

        var (response, failure) = await chat.CompleteAsync(turn, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }
        var usage = ChatEndpoints.UsageOf(response!.Usage);
        return TypedResults.Ok(new ChatCompletion(id, "chat.completion", created, response.ModelId ?? turn.Model ?? chat.DefaultModel,
            [new ChatCompletionChoice(0, new AssistantMessage("assistant", response.Text),
                response.FinishReason?.Value ?? ChatFinishReason.Stop.Value)],
            new CompletionUsage(usage.InputTokens, usage.OutputTokens, usage.TotalTokens)));
    }

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
            var role = messages[i]?.Role switch
            {
                "user" => ChatRole.User,
                "assistant" => ChatRole.Assistant,
                "system" or "developer" => ChatRole.System,
                _ => (ChatRole?)null,
            };
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

    private static async IAsyncEnumerable<string> Chunks(IAsyncEnumerable<ChatStreamStep> steps, string id, long created,
        string model, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var tally = new ChatStreamTally(model);
        var first = true;
        await foreach (var step in steps.WithCancellation(cancellationToken))
        {
            if (step.Failure is { } failure)
            {
                // OpenAI's in-band error shape, which the SDKs recognise in a stream.
                yield return JsonSerializer.Serialize(new StreamError(new StreamErrorDetail(
                    failure.Message ?? ApiErrors.DefaultMessageFor(failure.StatusCode), ApiErrors.TitleFor(failure.StatusCode))),
                    OpenAiErrorJson.Default.StreamError);
                yield break;
            }
            var update = step.Update!;
            tally.Observe(update);
            if (update.Text is { Length: > 0 } || first)
            {
                yield return Chunk(new ChatCompletionChunk(id, "chat.completion.chunk", created, tally.Model,
                    [new ChunkChoice(0, new ChunkDelta(first ? "assistant" : null, update.Text), null)]));
                first = false;
            }
        }
        yield return Chunk(new ChatCompletionChunk(id, "chat.completion.chunk", created, tally.Model,
            [new ChunkChoice(0, new ChunkDelta(null, null), tally.FinishReason)]));
        var totals = tally.Usage;
        yield return Chunk(new ChatCompletionChunk(id, "chat.completion.chunk", created, tally.Model, [],
            new CompletionUsage(totals.InputTokens, totals.OutputTokens, totals.TotalTokens)));
        yield return "[DONE]";
    }

    private static string Chunk(ChatCompletionChunk chunk) => JsonSerializer.Serialize(chunk, ChunkJson.ChatCompletionChunk);
}
