using System.Text.Json;
using System.Text.Json.Serialization;

namespace NextEleven.Api.OpenAiCompat;

/// <summary>The subset of OpenAI's chat-completions request that the service honours.</summary>
internal sealed record ChatCompletionRequest
{
    public string? Model { get; init; }

    public IReadOnlyList<ChatCompletionMessage>? Messages { get; init; }

    public bool? Stream { get; init; }

    public double? Temperature { get; init; }

    [JsonPropertyName("max_tokens")]
    public int? MaxTokens { get; init; }

    [JsonPropertyName("max_completion_tokens")]
    public int? MaxCompletionTokens { get; init; }
}

/// <summary>A message; <c>content</c> is a string or an array of <c>{"type": "text", "text": "..."}</c> parts.</summary>
internal sealed record ChatCompletionMessage
{
    public string? Role { get; init; }

    public JsonElement? Content { get; init; }
}

/// <summary>A whole reply in OpenAI's <c>chat.completion</c> shape.</summary>
internal sealed record ChatCompletion(
    string Id,
    [property: JsonPropertyName("object")] string ObjectType,
    long Created,
    string Model,
    IReadOnlyList<ChatCompletionChoice> Choices,
    CompletionUsage Usage);

/// <summary>The one choice of a reply.</summary>
internal sealed record ChatCompletionChoice(
    int Index,
    AssistantMessage Message,
    [property: JsonPropertyName("finish_reason")] string FinishReason);

/// <summary>The reply's message.</summary>
internal sealed record AssistantMessage(string Role, string Content);

/// <summary>Tokens used, in OpenAI's names.</summary>
internal sealed record CompletionUsage(
    [property: JsonPropertyName("prompt_tokens")] long PromptTokens,
    [property: JsonPropertyName("completion_tokens")] long CompletionTokens,
    [property: JsonPropertyName("total_tokens")] long TotalTokens,
    // USD, when the target has a price; OpenAI's SDKs ignore a field they do not know.
    [property: JsonPropertyName("cost"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Cost = null);

/// <summary>One streamed chunk: a delta, the finishing chunk, or (with no choices) the usage chunk.</summary>
internal sealed record ChatCompletionChunk(
    string Id,
    [property: JsonPropertyName("object")] string ObjectType,
    long Created,
    string Model,
    IReadOnlyList<ChunkChoice> Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CompletionUsage? Usage = null);

/// <summary>The one choice of a stream chunk.</summary>
internal sealed record ChunkChoice(
    int Index,
    ChunkDelta Delta,
    [property: JsonPropertyName("finish_reason")] string? FinishReason);

/// <summary>What a stream chunk adds: the role once, then text.</summary>
internal sealed record ChunkDelta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content);

/// <summary><c>GET /api/v1/models</c>: the models a client may name.</summary>
internal sealed record ModelList([property: JsonPropertyName("object")] string ObjectType, IReadOnlyList<ModelInfo> Data);

/// <summary>One model of the list.</summary>
internal sealed record ModelInfo(string Id, [property: JsonPropertyName("object")] string ObjectType, long Created, [property: JsonPropertyName("owned_by")] string OwnedBy);

/// <summary>OpenAI's error object, used only in-band in a stream that has already started.</summary>
internal sealed record StreamError(StreamErrorDetail Error);

/// <summary>The message and type of an in-band stream error.</summary>
internal sealed record StreamErrorDetail(string Message, string Type);

// Multi-word names carry their OpenAI spelling explicitly, so any serializer options (and the OpenAPI
// document) agree on the wire format.
/// <summary>OpenAI's wire format, source-generated.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, AllowDuplicateProperties = false, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ChatCompletionRequest))]
[JsonSerializable(typeof(ChatCompletion))]
[JsonSerializable(typeof(ChatCompletionChunk))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(StreamError))]
internal sealed partial class OpenAiJsonContext : JsonSerializerContext;
