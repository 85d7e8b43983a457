using Microsoft.Extensions.AI;
using NextEleven.Api.Requests;

namespace NextEleven.Api.Chat;

/// <summary>The rules a chat request must meet beyond being well-formed JSON; each failure names the field.</summary>
internal static class ChatRequestValidator
{
    /// <summary>
    /// A role as the chat surfaces spell it. OpenAI's <c>developer</c> is its newer name for <c>system</c>;
    /// only the OpenAI-compatible surface accepts it.
    /// </summary>
    public static ChatRole? RoleOf(string? role, bool acceptDeveloper = false) => role switch
    {
        "user" => ChatRole.User,
        "assistant" => ChatRole.Assistant,
        "system" => ChatRole.System,
        "developer" when acceptDeveloper => ChatRole.System,
        _ => null,
    };

    /// <summary>The first problem found, or null when the request is valid.</summary>
    public static string? Validate(ChatRequest request, RequestLimitsOptions limits, ChatService chat)
    {
        if (TextProblem("message", request.Message, limits.MaxMessageLength) is { } messageProblem)
        {
            return messageProblem;
        }
        if (SamplingProblem(request.Model, request.Temperature, request.MaxTokens, chat, "maxTokens") is { } samplingProblem)
        {
            return samplingProblem;
        }
        if (request.History is not { } history)
        {
            return null;
        }
        if (history.Count > limits.MaxHistoryMessages)
        {
            return $"Field 'history' has {history.Count} entries; the limit is {limits.MaxHistoryMessages}.";
        }
        for (var i = 0; i < history.Count; i++)
        {
            var entry = history[i];
            if (entry is null)
            {
                return $"Field 'history[{i}]' must be an object with 'role' and 'content'.";
            }
            if (RoleOf(entry.Role) is null)
            {
                return $"Field 'history[{i}].role' must be one of 'user', 'assistant' or 'system'.";
            }
            if (TextProblem($"history[{i}].content", entry.Content, limits.MaxMessageLength) is { } contentProblem)
            {
                return contentProblem;
            }
        }
        return null;
    }

    /// <summary>The checks both chat surfaces make of the model and sampling settings a client asks for.</summary>
    public static string? SamplingProblem(string? model, double? temperature, int? maxTokens, ChatService chat, string maxTokensField)
    {
        if (model is not null && !chat.Models.Contains(model, StringComparer.Ordinal))
        {
            return $"Field 'model' must be one of: {string.Join(", ", chat.Models)}.";
        }
        if (temperature is { } t && (double.IsNaN(t) || t < 0 || t > 2))
        {
            return "Field 'temperature' must be a number from 0 to 2.";
        }
        if (maxTokens is { } m && (m < 1 || m > chat.MaxOutputTokens))
        {
            return $"Field '{maxTokensField}' must be an integer from 1 to {chat.MaxOutputTokens}.";
        }
        return null;
    }

    /// <summary>The conversation to send: history in order, then the new message. Call only on a valid request.</summary>
    public static List<ChatMessage> ToMessages(ChatRequest request)
    {
        var messages = new List<ChatMessage>((request.History?.Count ?? 0) + 1);
        foreach (var entry in request.History ?? [])
        {
            messages.Add(new ChatMessage(RoleOf(entry.Role)!.Value, entry.Content));
        }
        messages.Add(new ChatMessage(ChatRole.User, request.Message));
        return messages;
    }

    private static string? TextProblem(string field, string? text, int maxLength) => text switch
    {
        null => $"Field '{field}' is required and must be a string.",
        _ when string.IsNullOrWhiteSpace(text) => $"Field '{field}' must not be blank.",
        _ when text.Length > maxLength => $"Field '{field}' is {text.Length} characters long; the limit is {maxLength}.",
        _ => null,
    };
}
