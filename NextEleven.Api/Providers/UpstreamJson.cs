using System.Text.Json.Serialization;

namespace NextEleven.Api.Providers;

// What the service reads of an OpenAI-compatible provider's answers, and nothing more: a reply's text,
// finish reason, model and usage; a stream chunk's delta, finish reason, model and usage; an error's code.
// Every other field (ids, logprobs, tool calls, system fingerprints) is skipped by the reader unread.
// Classes with setters rather than records: the serializer's fast path, where constructor parameters take a slower one.

/// <summary>A <c>chat.completion</c> or one <c>chat.completion.chunk</c> of a stream, as far as the service reads it.</summary>
internal sealed class UpstreamCompletion
{
    public string? Model { get; set; }

    public List<UpstreamChoice>? Choices { get; set; }

    public UpstreamUsage? Usage { get; set; }

    /// <summary>An error event inside a stream (only its presence matters).</summary>
    public System.Text.Json.JsonElement? Error { get; set; }
}

/// <summary>A choice: <c>message</c> in a whole reply, <c>delta</c> in a chunk.</summary>
internal sealed class UpstreamChoice
{
    public UpstreamMessage? Message { get; set; }

    public UpstreamMessage? Delta { get; set; }

    [JsonPropertyName("finish_reason")]
    public string? FinishReason { get; set; }
}

internal sealed class UpstreamMessage
{
    public string? Content { get; set; }
}

internal sealed class UpstreamUsage
{
    [JsonPropertyName("prompt_tokens")]
    public long? PromptTokens { get; set; }

    [JsonPropertyName("completion_tokens")]
    public long? CompletionTokens { get; set; }

    [JsonPropertyName("total_tokens")]
    public long? TotalTokens { get; set; }

    [JsonPropertyName("prompt_tokens_details")]
    public UpstreamPromptDetails? PromptTokensDetails { get; set; }
}

internal sealed class UpstreamPromptDetails
{
    [JsonPropertyName("cached_tokens")]
    public long? CachedTokens { get; set; }
}

/// <summary>Source-generated readers of the provider's answers: no reflection, nothing kept but the fields above.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = false, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(UpstreamCompletion))]
internal sealed partial class UpstreamJsonContext : JsonSerializerContext;
