using System.Text.Json;
using System.Text.Json.Serialization;

namespace NextEleven.Api.Chat;

/// <summary>One chat turn as a client sends it.</summary>
internal sealed record ChatRequest
{
    /// <summary>The user's message. Required, not blank.</summary>
    public string? Message { get; init; }

    /// <summary>Earlier turns, oldest first.</summary>
    public IReadOnlyList<ChatHistoryEntry>? History { get; init; }

    /// <summary>One of the models the operator allows; the default model when absent.</summary>
    public string? Model { get; init; }

    /// <summary>Answer as Server-Sent Events (also when the request accepts <c>text/event-stream</c>).</summary>
    public bool? Stream { get; init; }

    /// <summary>Sampling temperature, 0 to 2.</summary>
    public double? Temperature { get; init; }

    /// <summary>Most tokens the reply may have.</summary>
    public int? MaxTokens { get; init; }
}

/// <summary>One earlier message of the conversation.</summary>
internal sealed record ChatHistoryEntry
{
    /// <summary><c>user</c>, <c>assistant</c> or <c>system</c>.</summary>
    public string? Role { get; init; }

    public string? Content { get; init; }
}

/// <summary>The reply to one chat turn.</summary>
internal sealed record ChatReply(
    string Reply,
    string Model,
    string Provider,
    string FinishReason,
    ChatUsage Usage,
    string RequestId);

/// <summary>The tokens a call used, as the provider reported them, and what they cost when the target has a price.</summary>
internal sealed record ChatUsage(long InputTokens, long OutputTokens, long TotalTokens,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Cost = null);

/// <summary>
/// One Server-Sent Event of a streamed reply: <c>delta</c> (text), then <c>done</c> (finish reason and
/// usage), or <c>error</c> when the provider fails after the stream started.
/// </summary>
internal sealed record ChatStreamEvent
{
    public required string Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Text { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FinishReason { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Model { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Provider { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ChatUsage? Usage { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; init; }

    public required string RequestId { get; init; }
}

/// <summary>The /api/chat wire format, source-generated: strict numbers, no duplicate fields.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, AllowDuplicateProperties = false, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ChatRequest))]
[JsonSerializable(typeof(ChatReply))]
[JsonSerializable(typeof(ChatStreamEvent))]
internal sealed partial class ChatJsonContext : JsonSerializerContext;
