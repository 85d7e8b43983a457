using System.Text.Json;
using System.Text.Json.Serialization;

namespace NextEleven.Api.Chat;

/// <summary>One chat turn as a client sends it.</summary>
public sealed record ChatRequest
{
    /// <summary>The user's message. Required, not blank.</summary>
    public string? Message { get; init; }

    /// <summary>Earlier turns, oldest first.</summary>
    public IReadOnlyList<ChatHistoryEntry>? History { get; init; }
}

public sealed record ChatHistoryEntry
{
    /// <summary><c>user</c>, <c>assistant</c> or <c>system</c>.</summary>
    public string? Role { get; init; }

    public string? Content { get; init; }
}

/// <summary>The reply to one chat turn.</summary>
public sealed record ChatReply(
    string Reply,
    string Model,
    string Provider,
    string FinishReason,
    ChatUsage Usage,
    string RequestId);

public sealed record ChatUsage(long InputTokens, long OutputTokens, long TotalTokens);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ChatRequest))]
[JsonSerializable(typeof(ChatReply))]
internal sealed partial class ChatJsonContext : JsonSerializerContext;
