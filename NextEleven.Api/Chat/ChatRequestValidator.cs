using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using NextEleven.Api.Providers;
using NextEleven.Api.Requests;

namespace NextEleven.Api.Chat;

/// <summary>
/// The rules a chat request must meet beyond being well-formed JSON, the same for every surface: how
/// many messages, their roles and lengths, the model and the sampling settings. Each problem names the field.
/// </summary>
internal sealed class ChatRequestValidator(IOptions<RequestLimitsOptions> limits, IOptions<ChatProviderOptions> chat)
{
    private readonly RequestLimitsOptions _limits = limits.Value;
    private readonly IReadOnlyList<string> _models = chat.Value.Models;
    private readonly int _maxOutputTokens = chat.Value.MaxOutputTokens;

    /// <summary>The draft as a turn on <paramref name="model"/>, or the first problem with it.</summary>
    public (ChatTurn? Turn, string? Problem) Validate(ChatDraft draft, string? model)
    {
        if (draft.ListField is { } listField)
        {
            var limit = _limits.MaxHistoryMessages + (draft.ListHoldsNewMessage ? 1 : 0);
            if (draft.ListCount > limit)
            {
                return (null, $"Field '{listField}' has {draft.ListCount} entries; the limit is {limit}.");
            }
        }
        var messages = new List<ChatMessage>(draft.Messages.Count);
        foreach (var message in draft.Messages)
        {
            if (message.Problem is not null)
            {
                return (null, message.Problem);
            }
            if (RoleOf(message.Role, draft.Roles) is not { } role)
            {
                return (null, $"Field '{message.Field}.role' must be one of {Listed(draft.Roles)}.");
            }
            if (TextProblem(message) is { } textProblem)
            {
                return (null, textProblem);
            }
            messages.Add(new ChatMessage(role, message.Text));
        }
        if (model is not null && !_models.Contains(model, StringComparer.Ordinal))
        {
            return (null, $"Field 'model' must be one of: {string.Join(", ", _models)}.");
        }
        if (draft.Temperature is { } t && (double.IsNaN(t) || t < 0 || t > 2))
        {
            return (null, "Field 'temperature' must be a number from 0 to 2.");
        }
        if (draft.MaxTokens is { } m && (m < 1 || m > _maxOutputTokens))
        {
            return (null, $"Field '{draft.MaxTokensField}' must be an integer from 1 to {_maxOutputTokens}.");
        }
        return (new ChatTurn(messages, model, draft.Temperature, draft.MaxTokens), null);
    }

    /// <summary>A role as a wire format spells it; OpenAI's <c>developer</c> is its newer name for <c>system</c>.</summary>
    private static ChatRole? RoleOf(string? role, IReadOnlyList<string> accepted) =>
        role is null || !accepted.Contains(role, StringComparer.Ordinal) ? null : role switch
        {
            "user" => ChatRole.User,
            "assistant" => ChatRole.Assistant,
            "system" or "developer" => ChatRole.System,
            _ => null,
        };

    /// <summary>'a', 'b' or 'c'.</summary>
    private static string Listed(IReadOnlyList<string> roles) =>
        string.Join(", ", roles.Take(roles.Count - 1).Select(r => $"'{r}'")) + $" or '{roles[^1]}'";

    private string? TextProblem(DraftMessage message) => message.Text switch
    {
        null => $"Field '{message.TextField}' {message.TextExpected}.",
        _ when !message.MayBeBlank && string.IsNullOrWhiteSpace(message.Text) => $"Field '{message.TextField}' must not be blank.",
        _ when message.Text.Length > _limits.MaxMessageLength =>
            $"Field '{message.TextField}' is {message.Text.Length} characters long; the limit is {_limits.MaxMessageLength}.",
        _ => null,
    };
}
