using System.Text.Json.Serialization;

namespace NextEleven.Api.Providers;

// What the service reads of an OpenAI-compatible provider's answers, and nothing more: a reply's text,
// finish reason, model and usage; a stream chunk's delta, finish reason, model and usage; an error's code.
// Every other field (ids, logprobs, tool calls, system fingerprints) is skipped by the reader unread.

/// <summary>A <c>chat.completion</c> or one <c>chat.completion.chunk</c> of a stream, as far as the service reads it.</summary>
internal sealed record UpstreamCompletion(
    string? Model,
    IReadOnlyList<UpstreamChoice>? Choices,
    UpstreamUsage? Usage,
    [property: JsonPropertyName("error")] System.Text.Json.JsonElement? Error);

/// <summary>A choice: <c>message</c> in a whole reply, <c>delta</c> in a chunk.</summary>
internal sealed record UpstreamChoice(
    UpstreamMessage? Message,
    UpstreamMessage? Delta,
    [property: JsonPropertyName("finish_reason")] string? FinishReason);

internal sealed record UpstreamMessage(string? Content);

internal sealed record UpstreamUsage(
    [property: JsonPropertyName("prompt_tokens")] long? PromptTokens,
    [property: JsonPropertyName("completion_tokens")] long? CompletionTokens,
    [property: JsonPropertyName("total_tokens")] long? TotalTokens,
    [property: JsonPropertyName("prompt_tokens_details")] UpstreamPromptDetails? PromptTokensDetails);

internal sealed record UpstreamPromptDetails([property: JsonPropertyName("cached_tokens")] long? CachedTokens);

/// <summary>Source-generated readers of the provider's answers: no reflection, nothing kept but the fields above.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = false, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(UpstreamCompletion))]
internal sealed partial class UpstreamJsonContext : JsonSerializerContext;
