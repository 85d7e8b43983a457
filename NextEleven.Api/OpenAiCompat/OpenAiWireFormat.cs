using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using NextEleven.Api.Chat;
using NextEleven.Api.Errors;

namespace NextEleven.Api.OpenAiCompat;

/// <summary>OpenAI's chat completions: <c>messages</c> in, a <c>chat.completion</c> or <c>chat.completion.chunk</c> events out.</summary>
internal sealed class OpenAiWireFormat : ChatWireFormat<ChatCompletionRequest, ChatCompletion>
{
    private static readonly OpenAiJsonContext ChunkJson = new(ErrorsJsonContext.CreateOptions());
    private static readonly string[] Roles = ["system", "developer", "user", "assistant"];

    public static OpenAiWireFormat Instance { get; } = new();

    public override JsonTypeInfo<ChatCompletionRequest> RequestType => OpenAiJsonContext.Default.ChatCompletionRequest;

    public override string? ModelOf(ChatCompletionRequest request) => request.Model;

    public override (ChatDraft? Draft, string? Problem) ToDraft(ChatCompletionRequest request)
    {
        if (request.Messages is not { Count: > 0 } messages)
        {
            return (null, "Field 'messages' is required and must be a non-empty array.");
        }
        var draft = new List<DraftMessage>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            draft.Add(new DraftMessage($"messages[{i}]", messages[i]?.Role, $"messages[{i}].content", TextOf(messages[i]?.Content),
                MayBeBlank: true, TextExpected: "must be a string or an array of text parts"));
        }
        var maxTokens = request.MaxCompletionTokens ?? request.MaxTokens;
        return (new ChatDraft(draft, Roles, "messages", messages.Count, ListHoldsNewMessage: true, request.Temperature, maxTokens,
            request.MaxCompletionTokens is null ? "max_tokens" : "max_completion_tokens"), null);
    }

    public override bool WantsStream(ChatCompletionRequest request, HttpRequest httpRequest) => request.Stream == true;

    public override ChatCompletion Reply(ChatAnswer answer, ReplyContext context) =>
        new(context.CompletionId, "chat.completion", context.Started.ToUnixTimeSeconds(), answer.Model,
            [new ChatCompletionChoice(0, new AssistantMessage("assistant", answer.Text), answer.FinishReason)],
            new CompletionUsage(answer.Usage.InputTokens, answer.Usage.OutputTokens, answer.Usage.TotalTokens, answer.Usage.Cost));

    public override void WriteEvents(ChatStreamStep step, ReplyContext context, ChatEventWriter events)
    {
        var id = context.CompletionId;
        var created = context.Started.ToUnixTimeSeconds();
        switch (step)
        {
            case ChatDelta delta:
                // The first chunk carries the role, as OpenAI's do.
                events.Write(new ChatCompletionChunk(id, "chat.completion.chunk", created, delta.Model,
                    [new ChunkChoice(0, new ChunkDelta(events.Written == 0 ? "assistant" : null, delta.Text), null)]), ChunkJson.ChatCompletionChunk);
                break;
            case ChatFinished finished:
                events.Write(new ChatCompletionChunk(id, "chat.completion.chunk", created, finished.Model,
                    [new ChunkChoice(0, new ChunkDelta(null, null), finished.FinishReason)]), ChunkJson.ChatCompletionChunk);
                var usage = finished.Usage;
                events.Write(new ChatCompletionChunk(id, "chat.completion.chunk", created, finished.Model, [],
                    new CompletionUsage(usage.InputTokens, usage.OutputTokens, usage.TotalTokens, usage.Cost)), ChunkJson.ChatCompletionChunk);
                events.WriteDone();
                break;
            case ChatStreamFailed failed:
                // OpenAI's in-band error shape, which the SDKs recognise in a stream.
                events.Write(new StreamError(new StreamErrorDetail(failed.Failure.Message, ChatErrors.TitleOf(failed.Failure))),
                    ChunkJson.StreamError);
                break;
        }
    }

    /// <summary>The text of a message's content: a string, or an array of text parts joined; null for anything else.</summary>
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

    private static string IdOf(ReplyContext context) => "chatcmpl-" + context.RequestId.Replace(":", "-", StringComparison.Ordinal);
}
